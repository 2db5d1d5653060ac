/**
 * Which connected agent daemon gets which ready remote task: the rules alone, pure, no sockets and
 * no clock (the caller passes `now_ms`). A daemon may take a task when its registration lists the
 * task's repository (and role, if the task names one and the daemon lists roles), its token allows both, it is under its
 * capacity and not out of quota. Among those the least busy wins, and among equally busy ones the
 * next in connection order after the last one picked (round-robin), so equal daemons share the work.
 */

export interface DaemonSlot {
  id: string;
  host: string;
  /** Connection order: the round-robin walks it. */
  seq: number;
  roles: readonly string[];
  repos: readonly string[];
  /** Its token's name, and what it allows; empty = anything. */
  token_name: string;
  token_roles: readonly string[];
  token_repos: readonly string[];
  capacity: number;
  active: number;
  downgraded_until_ms: number | null;
}

export interface RemoteNeed {
  task_id: string;
  repo: string;
  /** null: any role. */
  role: string | null;
}

interface Assignment {
  task_id: string;
  daemon_id: string;
}

export interface MatchResult {
  assignments: Assignment[];
  /** Tasks no daemon can take now, with a line saying what they wait for. */
  waiting: Array<{ task_id: string; reason: string }>;
  /** The seq of the daemon picked last: the next turn's round-robin starts after it. */
  last_seq: number;
}

const allows = (allowed: readonly string[], value: string) => allowed.length === 0 || allowed.includes(value);

/** The daemon could ever take the task: it has the repository and role, and its token allows them. */
export function canRun(daemon: DaemonSlot, need: RemoteNeed): boolean {
  if (!daemon.repos.includes(need.repo) || !allows(daemon.token_repos, need.repo)) return false;
  if (need.role === null) return true;
  // A daemon started without ROLES takes any role (its log and `wg agentd status` say "any role"); its token may narrow it.
  return allows(daemon.roles, need.role) && allows(daemon.token_roles, need.role);
}

const downgraded = (daemon: DaemonSlot, nowMs: number) => daemon.downgraded_until_ms !== null && daemon.downgraded_until_ms > nowMs;

/** The least busy of the candidates, the first after `lastSeq` in connection order among equals. */
function pick(candidates: readonly DaemonSlot[], active: ReadonlyMap<string, number>, lastSeq: number): DaemonSlot | undefined {
  let best: DaemonSlot | undefined;
  let bestBusy = Infinity;
  let bestKey = Infinity;
  for (const daemon of candidates) {
    const busy = active.get(daemon.id) ?? daemon.active;
    // Seqs after the last pick come first, then the ones before it (wrapped round).
    const key = daemon.seq > lastSeq ? daemon.seq - lastSeq : daemon.seq - lastSeq + Number.MAX_SAFE_INTEGER / 2;
    if (busy < bestBusy || (busy === bestBusy && key < bestKey)) {
      best = daemon;
      bestBusy = busy;
      bestKey = key;
    }
  }
  return best;
}

function waitingReason(need: RemoteNeed, daemons: readonly DaemonSlot[], nowMs: number): string {
  const wanted = `an agent daemon with repo ${need.repo}${need.role ? `, role ${need.role}` : ''}`;
  const able = daemons.filter((d) => canRun(d, need));
  if (able.length === 0) return `waiting for ${wanted}${notAllowed(need, daemons)}`;
  const out = able.filter((d) => downgraded(d, nowMs));
  if (out.length === able.length) {
    const until = Math.min(...out.map((d) => d.downgraded_until_ms ?? 0));
    return `waiting for ${wanted} (${out.map((d) => d.host).join(', ')} out of quota until ${new Date(until).toISOString()})`;
  }
  return `waiting for ${wanted} (${able.length === 1 ? 'the one connected is' : `all ${able.length} connected are`} busy)`;
}

/**
 * The connected daemons that offer what the task needs but whose token does not allow it, said beside the reason: read
 * alone, "waiting for an agent daemon with repo shop" looked like a wait for the very daemon that was connected.
 */
function notAllowed(need: RemoteNeed, daemons: readonly DaemonSlot[]): string {
  const offering = daemons.filter((d) => d.repos.includes(need.repo) && (need.role === null || allows(d.roles, need.role)));
  const words = offering.map((d) => {
    const what = [
      ...(allows(d.token_repos, need.repo) ? [] : [`repo ${need.repo}`]),
      ...(need.role === null || allows(d.token_roles, need.role) ? [] : [`role ${need.role}`]),
    ].join(' or ');
    return `${d.host} offers it, but its token '${d.token_name}' does not allow ${what}`;
  });
  return words.length > 0 ? ` (${words.join('; ')})` : '';
}

/** Assigns the tasks, in queue order, within each daemon's capacity. */
export function matchTasks(needs: readonly RemoteNeed[], daemons: readonly DaemonSlot[], nowMs: number, lastSeq: number): MatchResult {
  const active = new Map<string, number>();
  const assignments: Assignment[] = [];
  const waiting: MatchResult['waiting'] = [];
  let last = lastSeq;
  for (const need of needs) {
    const candidates = daemons.filter((d) => canRun(d, need) && !downgraded(d, nowMs) && (active.get(d.id) ?? d.active) < d.capacity);
    const chosen = pick(candidates, active, last);
    if (!chosen) {
      waiting.push({ task_id: need.task_id, reason: waitingReason(need, daemons, nowMs) });
      continue;
    }
    active.set(chosen.id, (active.get(chosen.id) ?? chosen.active) + 1);
    assignments.push({ task_id: need.task_id, daemon_id: chosen.id });
    last = chosen.seq;
  }
  return { assignments, waiting, last_seq: last };
}

import type { Agent } from '../../../shared/agent';
import type { DeadAgentsResult } from '../../../shared/service-types';
import { DEFAULT_SETTINGS, heartbeatTimeoutSeconds, loadSettings } from '../../config/settings';
import { readExitStatus, readRecordedPid, runFiles } from '../files/run-files';
import type { ProjectPaths } from '../../project';
import { readServiceState } from '../../service/state-file';
import type { Store } from '../../store/store';
import { requireTaskRow } from '../../store/task-reads';
import { appendLog, transition } from '../../store/task-writes';
import { processAlive } from './process-group';

/** A coordinator runs for the project (its state file names a live process). */
function coordinatorRuns(paths: ProjectPaths): boolean {
  const state = readServiceState(paths);
  return state !== null && processAlive(state.pid);
}

/**
 * Why an agent the store calls working is dead, or null. A local run whose process is gone without
 * leaving an exit status crashed or was killed (one that finished has its status, which a
 * coordinator records). A remote agent is dead when its heartbeat is older than heartbeat_timeout;
 * that is judged only when no coordinator runs, since one that runs judges it with its retries.
 */
function deathOf(agent: Agent, paths: ProjectPaths, heartbeatMs: number | null, now: number): string | null {
  if (!agent.remote) {
    const files = agent.output_path ? runFiles(agent.output_path) : null;
    const pid = agent.pid ?? (files ? readRecordedPid(files) : null);
    if (pid === null || processAlive(pid)) return null;
    if (files && readExitStatus(files) !== null) return null;
    return `process ${pid} is gone`;
  }
  if (heartbeatMs === null) return null;
  const last = Date.parse(agent.last_heartbeat ?? agent.started_at);
  return now - last > heartbeatMs ? `no heartbeat for ${Math.round((now - last) / 60_000)} min` : null;
}

function heartbeatLimitMs(paths: ProjectPaths): number {
  let settings = DEFAULT_SETTINGS;
  try {
    settings = loadSettings(paths).settings;
  } catch {
    // An unreadable config.toml (wg config names it) leaves the documented default.
  }
  return heartbeatTimeoutSeconds(settings) * 1000;
}

/**
 * Lists dead agents: those marked dead, and those the store still calls working whose process is
 * gone (found by their pids, so it works with no coordinator running). `cleanup` marks them dead and
 * requeues the tasks they hold; `purge` forgets the dead rows.
 */
export function deadAgents(store: Store, paths: ProjectPaths, options: { cleanup?: boolean; purge?: boolean }, actor: string): DeadAgentsResult {
  const now = Date.now();
  const heartbeatMs = coordinatorRuns(paths) ? null : heartbeatLimitMs(paths);
  const found = store.agents.list({ working: true })
    .map((agent) => ({ agent, reason: deathOf(agent, paths, heartbeatMs, now) }))
    .filter((f): f is { agent: Agent; reason: string } => f.reason !== null);
  const marked = store.agents.list({ dead: true });
  const listed = [...marked, ...found.map(({ agent, reason }) => ({ ...agent, state: 'dead' as const, reason }))];
  if (!options.cleanup && !options.purge) return { dead: listed, cleaned: 0, purged: 0 };
  const core = store.core;
  return core.write((rev) => {
    const at = core.nowIso();
    // Only while still working: a coordinator may have judged it meanwhile.
    const ended = found.filter(({ agent, reason }) => store.agents.end(agent.id, { state: 'dead', ended_at: at, exit_code: null, reason }, rev));
    let cleaned = 0;
    for (const agent of [...marked, ...ended.map((f) => f.agent)]) {
      const row = requireTaskRow(core, agent.task_id);
      if (row.status === 'in-progress' && row.assigned === agent.id) {
        transition(core, row, { status: 'open', assigned: null, started_at: null }, rev);
        const why = ended.find((f) => f.agent.id === agent.id)?.reason;
        appendLog(core, agent.task_id, actor, `Dead agent ${agent.id} cleaned up${why ? ` (${why})` : ''}; task requeued`);
        cleaned++;
      }
    }
    const purged = options.purge ? store.agents.purgeDead() : 0;
    return { dead: listed.map((a) => store.agents.find(a.id) ?? a), cleaned, purged };
  });
}

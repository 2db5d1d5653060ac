import { TERMINAL_STATUSES, type TaskStatus } from '../../shared/task';
import type { WaitCondition, WaitSpec } from '../../shared/wait-condition';
import { quotedMessages } from '../messages/quoted-message';

/*
 * When a parked task (`wg wait`) goes on: upstream coordinator's `evaluate_waiting_tasks` as one pure
 * function. Circular waits fail first, then each waiting task fails when its condition can no longer
 * hold, or is released when it holds. The coordinator feeds the facts (statuses, messages, file times,
 * the clock) and writes the outcome in its turn's transaction.
 */

export interface WaitingTask {
  id: string;
  spec: WaitSpec;
  /** When it was parked (upstream: the newest "Agent parked" log entry), ms; null if unknown. */
  parkedAtMs: number | null;
  /** The run that parked it still runs: not released until it exits (one run per task). */
  holderWorking: boolean;
}

export interface WaitMessage {
  sender: string;
  /** Set when an agent's run sent it. */
  agent_id?: string | null;
  timestamp: string;
}

export interface WaitFacts {
  nowMs: number;
  /** A task's status; null when it is not in the graph. */
  statusOf(id: string): TaskStatus | null;
  messagesOf(taskId: string): readonly WaitMessage[];
  /** A file's modification time in ms; null when it cannot be read. */
  mtimeMs(path: string): number | null;
}

type WaitOutcome = { id: string; kind: 'release' } | { id: string; kind: 'fail'; reason: string; log: string };

export interface WaitVerdicts {
  outcomes: WaitOutcome[];
  /** The earliest future timer of the tasks still waiting (a wake-up), ms. */
  nextTimerMs: number | null;
  /** The files the tasks still waiting watch. */
  files: string[];
}

const isAgentMessage = (m: WaitMessage) => (m.agent_id ?? null) !== null || m.sender.startsWith('agent-');

/** Upstream `has_any_message_since` / `has_non_agent_message_since`: after the park, or any at all when its time is unknown. */
function messageSince(facts: WaitFacts, task: WaitingTask, human: boolean): boolean {
  return facts.messagesOf(task.id).some((m) => {
    if (human && isAgentMessage(m)) return false;
    if (task.parkedAtMs === null) return true;
    const at = Date.parse(m.timestamp);
    return !Number.isNaN(at) && at > task.parkedAtMs;
  });
}

/** Upstream `evaluate_condition`. */
export function conditionHolds(c: WaitCondition, task: WaitingTask, facts: WaitFacts): boolean {
  switch (c.type) {
    case 'task-status':
      return facts.statusOf(c.task_id) === c.status;
    case 'timer': {
      const at = Date.parse(c.resume_after);
      // Unreadable: taken as passed, so it never hangs (upstream).
      return Number.isNaN(at) || facts.nowMs >= at;
    }
    case 'human-input':
      return messageSince(facts, task, true);
    case 'message':
      return messageSince(facts, task, false);
    case 'file-changed': {
      const now = facts.mtimeMs(c.path);
      if (now === null) return false;
      return c.mtime_ms_at_wait !== undefined ? now > c.mtime_ms_at_wait : Math.floor(now / 1000) > c.mtime_at_wait;
    }
  }
}

/** Upstream `evaluate_wait_spec`. */
export function specHolds(task: WaitingTask, facts: WaitFacts): boolean {
  const holds = (c: WaitCondition) => conditionHolds(c, task, facts);
  return task.spec.mode === 'all' ? task.spec.conditions.every(holds) : task.spec.conditions.some(holds);
}

/** Upstream `is_condition_unsatisfiable`: the task it waits on ended otherwise, or is gone. */
export function unsatisfiable(c: WaitCondition, statusOf: (id: string) => TaskStatus | null): string | null {
  if (c.type !== 'task-status') return null;
  const status = statusOf(c.task_id);
  if (status === null) return `task '${c.task_id}' no longer exists`;
  if (TERMINAL_STATUSES.includes(status) && status !== c.status) return `task '${c.task_id}' is ${status} (expected ${c.status})`;
  return null;
}

/** Upstream `detect_circular_waits`: waiting tasks that wait, through `task:` conditions, on each other. */
export function circularWaits(tasks: readonly Pick<WaitingTask, 'id' | 'spec'>[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const t of tasks) {
    const on = t.spec.conditions.flatMap((c) => (c.type === 'task-status' ? [c.task_id] : []));
    if (on.length > 0) edges.set(t.id, on);
  }
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of edges.keys()) {
    if (done.has(start)) continue;
    // Iterative DFS: a long chain of waits cannot overflow the stack.
    const path = [start];
    const onPath = new Set([start]);
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: string; next: number };
      const deps = edges.get(top.node) ?? [];
      if (top.next >= deps.length) {
        onPath.delete(top.node);
        path.pop();
        stack.pop();
        continue;
      }
      const next = deps[top.next++] as string;
      if (onPath.has(next)) {
        const cycle = path.slice(path.indexOf(next));
        if (cycle.length >= 2) cycles.push(cycle);
      } else if (!done.has(next) && edges.has(next)) {
        onPath.add(next);
        path.push(next);
        stack.push({ node: next, next: 0 });
      }
    }
    done.add(start);
  }
  return cycles;
}

/** What becomes of each waiting task now. */
export function judgeWaits(tasks: readonly WaitingTask[], facts: WaitFacts): WaitVerdicts {
  const outcomes: WaitOutcome[] = [];
  const failed = new Set<string>();
  for (const cycle of circularWaits(tasks)) {
    const chain = cycle.join(' -> ');
    for (const id of cycle) {
      if (failed.has(id)) continue;
      failed.add(id);
      outcomes.push({ id, kind: 'fail', reason: `Circular wait detected: ${chain}`, log: `Failed: circular wait detected (${chain})` });
    }
  }
  // A task failed just now for a circular wait is failed for the tasks waiting on it too.
  const statusOf = (id: string): TaskStatus | null => (failed.has(id) ? 'failed' : facts.statusOf(id));
  const seen = { ...facts, statusOf };
  let nextTimerMs: number | null = null;
  const files = new Set<string>();
  for (const task of tasks) {
    if (failed.has(task.id) || task.holderWorking) continue;
    const { mode, conditions } = task.spec;
    const reasons = conditions.map((c) => unsatisfiable(c, statusOf)).filter((r): r is string => r !== null);
    // Any: only when every condition is a task condition that can no longer hold (a timer always can).
    const hopeless = mode === 'all' ? reasons.length > 0 : conditions.length > 0 && reasons.length === conditions.length;
    if (hopeless) {
      const reason = `Wait condition unsatisfiable: ${reasons.join(', ')}`;
      outcomes.push({ id: task.id, kind: 'fail', reason, log: `Failed: ${reason}` });
      continue;
    }
    if (specHolds(task, seen)) {
      outcomes.push({ id: task.id, kind: 'release' });
      continue;
    }
    for (const c of conditions) {
      if (c.type === 'file-changed') files.add(c.path);
      if (c.type !== 'timer') continue;
      const at = Date.parse(c.resume_after);
      if (!Number.isNaN(at) && at > facts.nowMs && (nextTimerMs === null || at < nextTimerMs)) nextTimerMs = at;
    }
  }
  return { outcomes, nextTimerMs, files: [...files] };
}

export interface ResumeDependency {
  id: string;
  status: TaskStatus;
  artifacts: readonly string[];
  log: readonly string[];
  failure_reason: string | null;
}

/**
 * Upstream `build_resume_delta`: what the resumed agent finds in its prompt (kept as the task's
 * checkpoint): the tasks it waited on, its own checkpoint, the newest messages.
 */
export function resumeDelta(input: {
  taskId: string;
  spec: WaitSpec;
  checkpoint: string | null;
  dependency: (id: string) => ResumeDependency | null;
  messages: readonly (WaitMessage & { body: string })[];
}): string {
  const lines = ['## Resume Context', 'Your wait condition is now satisfied.', ''];
  for (const c of input.spec.conditions) {
    if (c.type !== 'task-status') continue;
    const dep = input.dependency(c.task_id);
    if (!dep) continue;
    lines.push(`- ${c.task_id}: ${dep.status} (expected: ${c.status})`);
    for (const artifact of dep.artifacts) lines.push(`  artifact: ${artifact}`);
    for (const message of dep.log.slice(-3)) lines.push(`  log: ${message}`);
    if (dep.status === 'failed' && dep.failure_reason) lines.push(`  failure_reason: ${dep.failure_reason}`);
  }
  if (input.checkpoint) lines.push('', `Your checkpoint: "${input.checkpoint}"`);
  const recent = input.messages.slice(-3);
  // Quoted under their senders (quoted-message.ts): this text becomes part of the resumed agent's prompt.
  if (recent.length > 0) lines.push('', 'Recent messages:', quotedMessages(recent));
  lines.push('', `Continue your work on '${input.taskId}'.`);
  return lines.join('\n');
}

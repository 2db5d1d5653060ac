import { sql } from 'kysely';
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { JsonValue, Task, TaskStatus } from '../../shared/task';
import { conflict, invalid } from '../../shared/errors';
import { readWaitSpec, describeWaitSpec } from '../../shared/wait-condition';
import type { StoreCore } from '../store/store-core';
import { checkReport, endHolder, noteRefusal, type Reporter } from '../store/run-reports';
import { findTaskRow, getTask, requireTaskRow, tasksWithRows } from '../store/task-reads';
import { appendLog, transition } from '../store/task-writes';
import { parseWaitSpec } from './wait-parse';
import { judgeWaits, resumeDelta, type WaitingTask, type WaitMessage } from './wait-rules';

/* `wg wait` and its release: each one transaction. The condition is kept in upstream's `wait_condition`. */

/** Upstream's log line of a park; its newest one says since when messages count. */
const PARKED = 'Agent parked. Waiting for: ';
const RELEASED = 'Wait condition satisfied. Task ready for resume.';
const ACTOR = 'coordinator';

/** A file's modification time in ms, or null when it cannot be read. */
export function fileMtimeMs(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

async function extraOf(core: StoreCore, id: string): Promise<Record<string, JsonValue>> {
  const row = await core.get(core.build.selectFrom('tasks').select('extra').where('id', '=', id));
  return JSON.parse(row?.extra ?? '{}') as Record<string, JsonValue>;
}

async function writeExtra(core: StoreCore, id: string, extra: Record<string, JsonValue>): Promise<void> {
  await core.send(
    core.build
      .updateTable('tasks')
      .set({ extra: JSON.stringify(extra) })
      .where('id', '=', id),
  );
}

/**
 * `wg wait ID --until COND [--checkpoint TEXT]` (upstream's `wg wait`): an in-progress task is parked in
 * `waiting` with its condition; its agent should exit (its run ends then, or now when a person parks it).
 * A report under the ownership rule, as `wg incomplete` is. `root`: relative `file:` paths are the project's.
 * `line`: the parent's log line, upstream's own for a subtask.
 */
export async function parkTask(
  core: StoreCore,
  input: { id: string; until: string; checkpoint?: string },
  actor: string,
  reporter: Reporter,
  root: string,
  line = `${PARKED}${input.until}`,
): Promise<Task> {
  const refused = await core.write(async (rev) => {
    const row = await requireTaskRow(core, input.id);
    if (row.status !== 'in-progress')
      throw conflict(`Cannot wait on task '${input.id}': status is '${row.status}', expected 'in-progress'`);
    const spec = parseWaitSpec(input.until, {
      nowMs: core.clock().getTime(),
      // Checked below, all at once (one round trip on PostgreSQL), in the order the conditions name them.
      taskExists: () => true,
      mtimeMs: fileMtimeMs,
      resolvePath: (path) => (isAbsolute(path) ? path : resolve(root, path)),
    });
    const named = spec.conditions.flatMap((c) => (c.type === 'task-status' ? [c.task_id] : []));
    const found = await Promise.all(named.map((id) => findTaskRow(core, id)));
    const missing = named.find((_, index) => found[index] === undefined);
    if (missing !== undefined) throw invalid(`Task '${missing}' referenced in condition does not exist`);
    // A task changes state only by running, and a waiting one does not run: it would wait for good.
    if (spec.conditions.some((condition) => condition.type === 'task-status' && condition.task_id === input.id)) {
      throw invalid(`task '${input.id}' cannot wait for itself: it changes only by running, so it would wait for good`);
    }
    const verdict = await checkReport(core, reporter, row, 'fail');
    if (!verdict.ok) return noteRefusal(core, input.id, reporter, 'fail', verdict.reason, rev);
    const by = reporter.kind === 'agent' ? reporter.agentId : actor;
    await endHolder(core, verdict.holder, reporter, 'done', `task parked by ${by}: waiting ${describeWaitSpec(spec)}`, rev);
    const extra = await extraOf(core, input.id);
    extra.wait_condition = spec;
    if (input.checkpoint !== undefined) extra.checkpoint = input.checkpoint;
    await writeExtra(core, input.id, extra);
    await transition(core, row, { status: 'waiting' }, rev);
    await appendLog(core, input.id, row.assigned ?? by, line);
    return null;
  });
  if (refused !== null) throw conflict(refused);
  return getTask(core, input.id);
}

interface Facts {
  nowMs: number;
  mtimeMs(path: string): number | null;
}

interface WaitingRow {
  id: string;
  assigned: string | null;
  extra: string;
}

async function messagesOf(core: StoreCore, taskId: string): Promise<(WaitMessage & { body: string })[]> {
  return core.all(
    core.build.selectFrom('messages').select(['sender', 'agent_id', 'timestamp', 'body']).where('task_id', '=', taskId).orderBy('seq'),
  );
}

async function statusOf(core: StoreCore, id: string): Promise<TaskStatus | null> {
  return ((await core.get(core.build.selectFrom('tasks').select('status').where('id', '=', id)))?.status as TaskStatus | undefined) ?? null;
}

async function waitingTask(core: StoreCore, row: WaitingRow): Promise<WaitingTask | null> {
  const spec = readWaitSpec(JSON.parse(row.extra) as Record<string, JsonValue>);
  // Waiting without a condition this app can read (set by hand, say): left for a person, as upstream does.
  if (!spec) return null;
  const parked = await core.get(
    core.build
      .selectFrom('task_log')
      .select('timestamp')
      .where('task_id', '=', row.id)
      .where(core.fn.like(sql.ref('message'), 'Agent parked%'))
      .orderBy('id', 'desc')
      .limit(1),
  );
  const parkedAtMs = parked ? Date.parse(parked.timestamp) : Number.NaN;
  const holder = row.assigned ? await core.get(core.build.selectFrom('agents').select('state').where('id', '=', row.assigned)) : undefined;
  return { id: row.id, spec, parkedAtMs: Number.isNaN(parkedAtMs) ? null : parkedAtMs, holderWorking: holder?.state === 'working' };
}

export interface WaitSweep {
  /** Tasks released or failed now. */
  changed: string[];
  nextTimerMs: number | null;
  files: string[];
}

/**
 * The coordinator's look at the parked tasks (upstream's step 2.7 of each tick): releases those whose
 * condition holds (open again, unassigned, the resume context as their checkpoint) and fails those whose
 * condition never can. Reads only, unless something changes (no revision for nothing).
 */
export async function sweepWaits(core: StoreCore, facts: Facts): Promise<WaitSweep> {
  const rows = await core.all(core.build.selectFrom('tasks').select(['id', 'assigned', 'extra']).where('status', '=', 'waiting'));
  if (rows.length === 0) return { changed: [], nextTimerMs: null, files: [] };
  const tasks = (await Promise.all(rows.map((row) => waitingTask(core, row)))).filter((t): t is WaitingTask => t !== null);
  // The facts the rules read (wait-rules.ts is pure): the statuses their conditions name and the tasks' messages, read
  // side by side (one round trip on PostgreSQL).
  const named = [...new Set(tasks.flatMap((t) => t.spec.conditions.flatMap((c) => (c.type === 'task-status' ? [c.task_id] : []))))];
  const [statuses, messages] = await Promise.all([
    Promise.all(named.map(async (id) => [id, await statusOf(core, id)] as const)),
    Promise.all(tasks.map(async (t) => [t.id, await messagesOf(core, t.id)] as const)),
  ]);
  const statusById = new Map(statuses);
  const messagesById = new Map<string, readonly WaitMessage[]>(messages);
  const verdicts = judgeWaits(tasks, {
    nowMs: facts.nowMs,
    statusOf: (id) => statusById.get(id) ?? null,
    messagesOf: (id) => messagesById.get(id) ?? [],
    mtimeMs: facts.mtimeMs,
  });
  if (verdicts.outcomes.length === 0) return { changed: [], nextTimerMs: verdicts.nextTimerMs, files: verdicts.files };
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const changed = await core.write(async (rev) => {
    const done: string[] = [];
    for (const outcome of verdicts.outcomes) {
      const row = await findTaskRow(core, outcome.id);
      const task = byId.get(outcome.id);
      if (row?.status !== 'waiting' || !task) continue;
      const extra = JSON.parse(row.extra) as Record<string, JsonValue>;
      delete extra.wait_condition;
      if (outcome.kind === 'fail') {
        await writeExtra(core, row.id, extra);
        await transition(core, row, { status: 'failed', failure_reason: outcome.reason }, rev);
        await appendLog(core, row.id, ACTOR, outcome.log);
      } else {
        const waitedOn = await tasksWithRows(
          core,
          task.spec.conditions.flatMap((c) => (c.type === 'task-status' ? [c.task_id] : [])),
        );
        extra.checkpoint = resumeDelta({
          taskId: row.id,
          spec: task.spec,
          checkpoint: typeof extra.checkpoint === 'string' ? extra.checkpoint : null,
          dependency: (id) => {
            const dep = waitedOn.get(id)?.task;
            return dep ? { ...dep, log: dep.log.map((entry) => entry.message) } : null;
          },
          messages: await messagesOf(core, row.id),
        });
        await writeExtra(core, row.id, extra);
        // Unassigned so the coordinator starts it again; its session is kept, so the agent resumes it.
        await transition(core, row, { status: 'open', assigned: null }, rev);
        await appendLog(core, row.id, ACTOR, RELEASED);
      }
      done.push(row.id);
    }
    return done;
  });
  return { changed, nextTimerMs: verdicts.nextTimerMs, files: verdicts.files };
}

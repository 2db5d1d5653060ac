import { errorText, invalid } from '../../shared/errors';
import type { Message } from '../../shared/message';
import { markInbox } from '../messages/inbox-marker';
import type { NewMessage } from '../store/message-records';
import { projectWritable } from '../opening/open-store';
import { upstreamGraphIn } from '../opening/upstream-graph';
import type { MessageSync } from '../upstream-sync/message-sync';
import { plainFailure } from '../../shared/plain-failure';
import { findTaskState } from '../store/task-reads';
import { readExecutors, resolveExecutor } from '../config/executors';
import { appendLog, touch } from '../store/task-writes';
import { fileMtimeMs, sweepWaits } from '../waiting/wait-writes';
import type { Handlers, OpContext } from './context';
import { inFlight } from '../store/in-flight';

type MessageOps = 'msg:send' | 'msg:list' | 'msg:questions' | 'msg:read' | 'msg:poll';

/** How long a message command waits for upstream's lock on a task's message file (upstream holds it for one append). */
const LOCK_WAIT_MS = 10_000;

/**
 * Who a message is from, by upstream's rule (its `Commands::Msg` dispatch): `--from` when given; from
 * inside an agent run, the task it works on (upstream: WG_TASK_ID), so replies read as the task's;
 * else `user`, or the person whose token sent it.
 */
async function senderOf(ctx: OpContext, from: string | undefined): Promise<string> {
  if (from !== undefined) return from;
  if (ctx.agent) return (await ctx.store.agents.find(ctx.agent.id))?.task_id ?? ctx.agent.id;
  return ctx.person?.name ?? 'user';
}

/** Who reads: `--agent`, else the agent run asking (WG_AGENT_ID), else the person asking, else `user` (upstream's default). */
function readerOf(ctx: OpContext, agent: string | undefined): string {
  return agent ?? ctx.agent?.id ?? ctx.person?.name ?? 'user';
}

/**
 * Upstream's message files beside graph.db, in a folder upstream's wg uses (upstream-sync/message-sync.ts);
 * else null. Loaded only there.
 */
async function upstreamFiles(ctx: OpContext): Promise<MessageSync | null> {
  if (ctx.store.readOnly || upstreamGraphIn(ctx.paths.dir) === null) return null;
  const { MessageSync } = await import('../upstream-sync/message-sync');
  return MessageSync.open(ctx.store, ctx.paths.dir, { writeFiles: projectWritable(ctx.paths), serviceDir: ctx.paths.serviceDir });
}

/** Why a sync failed, in plain words where the file system's are known. */
function failureText(error: unknown): string {
  return plainFailure(error) ?? errorText(error);
}

/** The task's messages made the same in graph.db and upstream's file; a failure leaves graph.db's and is told. */
async function syncTask(ctx: OpContext, task: string, readers: string[]): Promise<void> {
  const files = await upstreamFiles(ctx);
  if (files) await syncFiles(ctx, files, task, readers);
}

async function syncFiles(ctx: OpContext, files: MessageSync, task: string, readers: string[]): Promise<void> {
  try {
    await files.syncTask(task, readers, LOCK_WAIT_MS);
  } catch (error) {
    ctx.warn?.(`messages/${task}.jsonl not synced: ${failureText(error)}`);
  }
}

async function send(ctx: OpContext, input: NewMessage): Promise<Message> {
  const files = await upstreamFiles(ctx);
  if (!files) return ctx.store.messages.send(input);
  try {
    return await files.send(input, LOCK_WAIT_MS);
  } catch (error) {
    const { GraphLockError } = await import('../upstream-sync/graph-lock');
    const { NotRegularFileError } = await import('../files/regular-file');
    if (!(error instanceof GraphLockError || error instanceof NotRegularFileError)) throw error;
    // Sent here all the same (agents here get it); the next sync of the task appends it to upstream's file.
    ctx.warn?.(`messages/${input.taskId}.jsonl not written (the next message command or the running service catches up): ${error.message}`);
    return ctx.store.messages.send(input);
  }
}

/**
 * Messages an agent run took after it reported its task done (its Stop hook hands it the ones that came
 * late): "read" says it has them, and the task's log says when, so a task that stays done does not read
 * as if the message was dealt with before it. What the run does then is settled when it ends (merged
 * or kept on a recover/ branch: worktrees/late-work.ts) and logged there.
 */
async function noteReadAfterDone(ctx: OpContext, task: string, read: readonly Message[]): Promise<void> {
  const agentId = ctx.agent?.id;
  if (!agentId || read.length === 0 || ctx.store.readOnly) return;
  const core = ctx.store.core;
  const row = await findTaskState(core, task);
  if (!row || row.assigned !== agentId || (row.status !== 'done' && row.status !== 'pending-eval')) return;
  const which = read.map((m) => `#${m.id} from ${m.sender}`).join(', ');
  await core.write(async (rev) => {
    await appendLog(
      core,
      task,
      'coordinator',
      `Message${read.length === 1 ? '' : 's'} ${which} handed to ${agentId} after its wg done (the task is ${row.status}): what it does now is settled when its run ends`,
    );
    await touch(core, task, rev);
  });
}

/**
 * A run's look for its unread messages of a task, made with another read of the caller's (`look`, sent with a report's
 * opening: `wg log`), and whether it found any (`found`: then readMessages takes them, told it need not look again).
 * Where upstream's message files are beside the graph, whose messages only readMessages syncs in, no look is made
 * here, and `found` is null: readMessages looks itself.
 */
export async function messageLook(
  ctx: OpContext,
  task: string,
  reader: string,
): Promise<{ look: (() => Promise<unknown>) | undefined; found: () => Promise<boolean | null> }> {
  if (await upstreamFiles(ctx)) return { look: undefined, found: async () => null };
  let made: Promise<Message[]> | null = null;
  return {
    look: () => (made = inFlight(ctx.store.messages.unread(task, reader))),
    found: async () => (made === null ? null : (await made).length > 0),
  };
}

/** `reader`'s unread messages of a task, marked read (upstream's read_unread), graph.db and upstream's file alike. */
export async function readMessages(ctx: OpContext, task: string, reader: string, lookedAlready = false): Promise<Message[]> {
  await syncTask(ctx, task, [reader]);
  // One transaction: the messages marked read and, for a run past its done, the line saying so (and
  // none at all, no write lock taken, when there is nothing new: hooks ask after every tool call).
  const mine = reader === ctx.agent?.id;
  // A run's own look that finds nothing new for it ends there; where messageLook looked already and found some, it is
  // not made again. The run's cursor moves past its own messages with the next one it reads.
  if (mine && !lookedAlready && (await ctx.store.messages.unread(task, reader)).length === 0) return [];
  const read = !mine
    ? await ctx.store.messages.read(task, reader)
    : await ctx.store.core.batch(async () => {
        const taken = await ctx.store.messages.read(task, reader);
        await noteReadAfterDone(ctx, task, taken);
        return taken;
      });
  // What was read, and the reader's cursor, out to upstream's file.
  if (read.length > 0) await syncTask(ctx, task, [reader]);
  return read;
}

/**
 * Executors whose runs are handed messages while they work, and when: others only read them in a next prompt. Claude
 * Code runs its PostToolUse hook after every tool call. A codex run's holder (`wg codex-run`) steers each message into
 * the turn as it is sent, and codex adds it to the model's next request, even while a command runs on past the 10 s
 * codex waits for it (test/coordinator/msg-delivery.process.test.ts).
 */
const READ_WHILE_WORKING: ReadonlyMap<string, string> = new Map([
  ['claude', 'after its next tool call'],
  ['codex', 'at its next request to its model, even while a command of its runs'],
]);
/**
 * Executors whose runs read their messages as they call `wg log` or `wg msg read` (a shell command, a CLI, a job on an
 * agent daemon: docs/guide.md): the sender is told it is read only then, not that it is not read at all.
 */
const READ_WHEN_CALLING_WG: ReadonlySet<string> = new Set(['shell', 'cli', 'remote']);

/**
 * What the sender should know about who reads a message sent to `task` (it is kept either way, as upstream keeps
 * it), or null when nothing needs saying. A run still at work reads it whatever the task's status: one that ran
 * `wg done` and works on is handed it by its hooks (after a tool call, or by its Stop hook), and acts on it.
 * With no run at work, a finished task has no run to come unless retried; a working run may be of an executor that
 * reads no message.
 */
async function deliveryNote(ctx: OpContext, task: string): Promise<string | null> {
  const status = (await findTaskState(ctx.store.core, task))?.status;
  const finished = status === 'done' || status === 'abandoned' || status === 'failed';
  const run = (await ctx.store.agents.forTask(task)).find((agent) => agent.state === 'working' && agent.purpose === 'task');
  if (!run) return finished ? `'${task}' is ${status}: no agent reads this message unless the task runs again (wg retry ${task})` : null;
  let type: string = run.executor;
  try {
    type = resolveExecutor(await readExecutors(ctx.paths), run.executor).type;
  } catch {
    // A profile since removed: its name is all there is to go by.
  }
  const when = READ_WHILE_WORKING.get(type);
  if (when !== undefined)
    return finished
      ? `'${task}' is ${status} but ${run.id} (${type}) still runs: it is handed this message ${when}, or before it ends`
      : null;
  const later = finished
    ? `no agent reads it unless '${task}' runs again (wg retry ${task})`
    : `the next run of '${task}' has it in its prompt`;
  if (READ_WHEN_CALLING_WG.has(type))
    return `${run.id} (${type}) reads it only if it runs wg log or wg msg read before it ends: else ${later}`;
  return `${run.id} (${type}) does not read messages while it runs: ${later}`;
}

export const messageHandlers: Handlers<MessageOps> = {
  'msg:send': async ({ task, message, from, priority }, ctx) => {
    // Upstream's two refusals (`run_send` of `wg msg send`); the empty one is the schema's.
    if (message === undefined) throw invalid('a message is required (or use --stdin)');
    const sent = await send(ctx, {
      taskId: task,
      body: message,
      sender: await senderOf(ctx, from),
      priority: priority ?? 'normal',
      agentId: ctx.agent?.id ?? null,
    });
    // A person's reply releases a wait for it now (`wg wait --until human-input` or `message`), by the coordinator's
    // own sweep: the task is open again at once, with or without a coordinator running, and needs nobody any more.
    if (ctx.agent === undefined && (await ctx.store.get(task)).status === 'waiting') {
      const { changed } = await sweepWaits(ctx.store.core, { nowMs: ctx.store.core.clock().getTime(), mtimeMs: fileMtimeMs });
      if (changed.includes(task)) ctx.warn?.(`'${task}' waited for this: it is open again, and starts when the coordinator runs`);
    }
    // An agent's own reply needs no waking of its hook; anyone else's message does.
    if (ctx.agent === undefined || (await ctx.store.agents.find(ctx.agent.id))?.task_id !== task) {
      markInbox(ctx.paths.serviceDir, task);
      const note = await deliveryNote(ctx, task);
      if (note) ctx.warn?.(note);
    }
    return sent;
  },
  'msg:list': async ({ task }, ctx) => {
    await syncTask(ctx, task, []);
    return ctx.store.messages.list(task);
  },
  'msg:questions': async (_input, ctx) => {
    const files = await upstreamFiles(ctx);
    // Upstream's wg may have written to the running tasks' message files since (as msg:list reads them in first).
    if (files) for (const task of await ctx.store.messages.runningTasks()) await syncFiles(ctx, files, task, []);
    return ctx.store.messages.openQuestions();
  },
  'msg:read': ({ task, agent }, ctx) => readMessages(ctx, task, readerOf(ctx, agent)),
  'msg:poll': async ({ task, agent }, ctx) => {
    const reader = readerOf(ctx, agent);
    await syncTask(ctx, task, [reader]);
    return ctx.store.messages.unread(task, reader);
  },
};

import { Mutex } from 'async-mutex';
import { execa } from 'execa';
import { errorText } from '../../../shared/errors';
import { errorLine, type ExecLine, itemLine, threadStarted, turnEnded, turnStarted, type Usage } from './exec-events';
import { JsonRpcLines } from './json-rpc';
import {
  initializeParams,
  initializeResult,
  type Notification,
  type NotificationMethod,
  notifications,
  type ThreadParams,
  type TurnStartParams,
  type TurnSteerParams,
  textInput,
  threadResult,
  turnStartResult,
  turnSteerResult,
} from './protocol';

/** How long the app server may take to shut down once its run has ended. */
const SHUTDOWN_GRACE_MS = 5_000;

/** What one codex run is: its program and app-server options, its model, the session it resumes, its prompt. */
export interface CodexRunInput {
  program: string;
  /** `codex app-server` options (`-c` overrides: the model's provider, the shell). */
  options: string[];
  model: string | null;
  resume: string | null;
  prompt: string;
  cwd: string;
  version: string;
  /** Where each line of the run's output goes, as `codex exec --json` writes them (exec-events.ts). */
  out: (line: ExecLine) => void;
  err: (text: string) => void;
  /** The run's unread messages, marked read, as the text the agent is handed; null when there are none. */
  takeMessages: () => Promise<string | null>;
  /** Calls `wake` whenever a message may have come for the run; returns what stops it. */
  watchMessages: (wake: () => void) => () => void;
}

/**
 * Runs codex for one agent run through its app server (`codex app-server`), this process holding its stdin for the
 * run's life: a thread is started (or the retried run's resumed), a turn with the prompt, and the turn's
 * notifications written out as `codex exec --json` lines. A message sent to the run while the turn works is handed
 * to the model at once with `turn/steer`, which codex adds to its next request to the model, even while a command
 * runs on past the 10 s codex waits for it (`codex exec` takes no input while it works, and its PostToolUse hook
 * runs only once a command has exited). When the turn ends, unread messages start another turn (what a Stop hook
 * did); else the run ends: 0 for a completed turn, 1 for a failed or interrupted one or a codex that died first.
 *
 * Everything runs in the run's process group (the wrapper's), so stopping the run kills codex with this process;
 * and should this process die alone, codex reads the end of its stdin and exits, and execa's cleanup kills it.
 */
export async function runCodexAppServer(input: CodexRunInput): Promise<number> {
  const child = execa(input.program, ['app-server', ...input.options], {
    cwd: input.cwd,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'inherit',
    buffer: false,
    reject: false,
  });
  const lock = new Mutex();
  let finish: (status: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  let ended = false;
  const end = (status: number) => {
    if (ended) return;
    ended = true;
    finish(status);
  };
  let threadId = '';
  /** The turn at work, whose model a message steers; null between turns. */
  let turnId: string | null = null;
  /** Messages taken for a turn that ended before they could be steered into it: the next turn's prompt. */
  let carried: string | null = null;
  let usage: Usage | null = null;

  const parsed = <M extends NotificationMethod>(method: M, params: unknown): Notification<M> | null => {
    const result = notifications[method].safeParse(params);
    if (!result.success) input.err(`codex app-server sent ${method} in a shape this app does not know`);
    return result.success ? (result.data as Notification<M>) : null;
  };

  const startTurn = async (text: string) => {
    turnId = (await rpc.request('turn/start', { threadId, input: [textInput(text)] } satisfies TurnStartParams, turnStartResult)).turn.id;
  };

  const turnCompleted = async (turn: Notification<'turn/completed'>['turn']) => {
    if (ended || turn.id !== turnId) return;
    turnId = null;
    if (turn.status === 'completed') {
      const messages = carried ?? (await input.takeMessages());
      carried = null;
      if (messages !== null) return startTurn(messages);
    }
    input.out(turnEnded(turn, usage));
    end(turn.status === 'completed' ? 0 : 1);
  };

  const onNotification = (method: string, params: unknown) => {
    switch (method) {
      case 'turn/started':
        if (parsed(method, params)) input.out(turnStarted());
        return;
      case 'item/started':
      case 'item/completed': {
        const item = parsed(method, params)?.item;
        const line = item ? itemLine(method === 'item/started' ? 'item.started' : 'item.completed', item) : null;
        if (line) input.out(line);
        return;
      }
      case 'thread/tokenUsage/updated':
        usage = parsed(method, params)?.tokenUsage.total ?? usage;
        return;
      case 'error': {
        const error = parsed(method, params)?.error;
        if (error) input.out(errorLine(error.message));
        return;
      }
      case 'turn/completed': {
        const turn = parsed(method, params)?.turn;
        if (turn) void lock.runExclusive(() => turnCompleted(turn)).catch(fail);
        return;
      }
    }
  };

  const fail = (error: unknown) => {
    if (ended) return;
    input.out(errorLine(errorText(error)));
    end(1);
  };

  const rpc = new JsonRpcLines(child.stdin, child.stdout, onNotification, (line) => input.err(line));

  /** A message may have come: handed to the turn at work now, else kept for the turn's end. */
  const deliver = () =>
    lock
      .runExclusive(async () => {
        if (ended || turnId === null) return;
        const messages = await input.takeMessages();
        if (messages === null) return;
        try {
          await rpc.request(
            'turn/steer',
            { threadId, expectedTurnId: turnId, input: [textInput(messages)] } satisfies TurnSteerParams,
            turnSteerResult,
          );
        } catch {
          // The turn ended meanwhile (its turn/completed waits behind this): the messages start the next one.
          carried = messages;
        }
      })
      .catch(fail);

  void child.then((result) => {
    rpc.close('codex app-server has exited');
    if (ended) return;
    // No exit code: it never ran (not found, not executable), and execa says why.
    if (result.exitCode === undefined && result.signal === undefined) fail(new Error(result.originalMessage || result.shortMessage));
    else fail(new Error(`codex app-server exited (${result.signal ?? `status ${result.exitCode}`}) before its turn ended`));
  });

  const params: ThreadParams = { model: input.model, cwd: input.cwd, approvalPolicy: 'never', sandbox: 'danger-full-access' };
  void lock
    .runExclusive(async () => {
      await rpc.request('initialize', initializeParams(input.version), initializeResult);
      rpc.notify('initialized');
      const thread = input.resume
        ? await rpc.request('thread/resume', { threadId: input.resume, ...params }, threadResult)
        : await rpc.request('thread/start', params, threadResult);
      threadId = thread.thread.id;
      input.out(threadStarted(threadId));
      await startTurn(input.prompt);
    })
    .catch(fail);

  const stopWatching = input.watchMessages(() => void deliver());
  const status = await finished;
  stopWatching();
  // The end of its stdin is the app server's cue to shut down; one kept up (by a command the model left running in
  // the background) is ended, so the run's end never waits on it.
  child.stdin.end();
  const stop = setTimeout(() => child.kill('SIGTERM'), SHUTDOWN_GRACE_MS);
  await child;
  clearTimeout(stop);
  return status;
}

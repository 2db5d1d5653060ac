import type { Command } from 'commander';
import { WgError } from '../shared/errors';
import type { ExecResult } from '../shared/agent-loop';
import { EVENT_FILTERS } from '../shared/watch-events';
import { locateProject } from '../core/project';
import { refuseRemote, runOp, type GlobalOptions } from './run-op';
import type { CliIo } from './cli-io';

/*
 * The agent's loop where the terminal is part of it: `wg exec` (a session with the person at the
 * keyboard), `wg watch` (a stream until the reader stops), `wg quickstart` and `wg agent-guide` (no
 * project needed). Each is an operation of the registry (task:exec, graph:events, guide:…); these
 * commands are their terminal faces.
 */

const writer = (io: CliIo) => (text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const sayer = (io: CliIo) => (text: string) => io.stderr.write(`${text}\n`);

/** Asks one line on the terminal. */
async function ask(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim().toLowerCase();
  } finally {
    rl.close();
  }
}

/** Upstream's note when a session re-enters a task already in progress (on stderr, before anything else). */
const inProgressNote = (task: string, assigned: string | null) =>
  `Note: task '${task}' is already in-progress (assigned: ${assigned ?? 'none'})`;

/** The session: Claude Code in this terminal, then how it ended, recorded; done or failed as the person says. */
async function runSession(
  session: Extract<ExecResult, { kind: 'session' }>,
  actor: string | undefined,
  globals: GlobalOptions,
  io: CliIo,
): Promise<void> {
  const say = sayer(io);
  if (session.claimed) say(`Claimed task '${session.task}' for interactive session`);
  else say(inProgressNote(session.task, session.assigned_before));
  if (session.worktree) say(`Created worktree at ${session.worktree.path} (branch: ${session.worktree.branch})`);
  say(`Launching interactive claude session for task '${session.task}'...`);
  say(`(Prompt written to ${session.prompt_file})`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...session.env };
  // A session started from inside Claude Code is a session of its own.
  delete env.CLAUDECODE;
  delete env.CLAUDE_CODE_ENTRYPOINT;
  const { execa } = await import('execa');
  const result = await execa(session.command, session.args, { cwd: session.cwd, env, stdio: 'inherit', reject: false, extendEnv: false });
  const launched = !(result.failed && result.exitCode === undefined);
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : -1;
  await runOp('task:execEnd', { task: session.task, exitCode, actor }, globals, io);
  if (!launched) {
    throw new WgError(
      'unavailable',
      `Failed to launch ${session.command}. Is it installed? (Try: npm install -g @anthropic-ai/claude-code)`,
    );
  }
  say(`\nClaude session ended (exit code: ${exitCode})`);
  if (process.stdin.isTTY) {
    say(`\nTask '${session.task}' is still in-progress.`);
    const choice = await ask('Mark as: [d]one, [f]ailed, or [l]eave in-progress? ');
    if (choice === 'd' || choice === 'done') {
      await runOp('task:done', { id: session.task }, globals, io);
      say(`Task '${session.task}' marked as done.`);
    } else if (choice === 'f' || choice === 'failed' || choice === 'fail') {
      const reason = await ask('Failure reason (optional): ');
      await runOp('task:fail', { id: session.task, ...(reason ? { reason } : {}) }, globals, io);
      say(`Task '${session.task}' marked as failed.`);
    } else {
      say(`Task '${session.task}' left in-progress.`);
    }
  }
  if (session.worktree) say(`Worktree preserved at ${session.worktree.path} (see wg worktree list)`);
}

function registerExec(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  const write = writer(io);
  // Both flags set one value (the last wins in commander); upstream refuses the two together.
  const given = new Set<string>();
  const exec = program.command('exec');
  exec.on('option:worktree', () => given.add('--worktree'));
  exec.on('option:no-worktree', () => given.add('--no-worktree'));
  exec
    .description(
      "Work on a task yourself: an interactive Claude Code session with the agent's prompt and environment (or, with --shell, run its shell command: done on exit 0, failed otherwise); --set/--clear its command",
    )
    .argument('<task>', 'task id')
    .option('--actor <value>', 'who is working on it')
    .option('--dry-run', 'show the assembled prompt and environment (or the command), changing nothing')
    .option('--set <command>', 'set the task’s shell command instead of running anything')
    .option('--clear', 'clear the task’s shell command')
    .option('--shell', 'run the task’s shell command (claim, run, then done or failed)')
    .option('--worktree', 'work in an isolated git worktree, as agents do')
    .option('--no-worktree', 'work in the project folder itself (the default)')
    .option('--model <value>', 'model for the session (e.g. opus, sonnet)')
    .action(async (task: string, options: Record<string, unknown>) => {
      if (given.has('--worktree') && given.has('--no-worktree'))
        throw new WgError('invalid', "option '--worktree' cannot be used with option '--no-worktree'");
      const input = {
        task,
        actor: options.actor,
        dryRun: options.dryRun === true,
        set: options.set,
        clear: options.clear === true,
        shell: options.shell === true,
        worktree: options.worktree === true,
        model: options.model,
      };
      const result = await runOp('task:exec', input, globals(), io);
      if (result.kind === 'session') {
        await runSession(result, typeof options.actor === 'string' ? options.actor : undefined, globals(), io);
        return;
      }
      if (result.kind === 'session-dry-run' && result.in_progress) sayer(io)(inProgressNote(result.task, result.assigned_before));
      if (globals().json) write(JSON.stringify(result, null, 2));
      else write((await import('./loop-format')).execText(result));
      if (result.kind === 'shell') {
        if (result.stderr !== '') io.stderr.write(result.stderr);
        if (!result.ok) io.exitCode = 1;
      }
    });
}

function registerGuides(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  const write = writer(io);
  program
    .command('quickstart')
    .description("The cheat sheet: this app's commands and workflow, for people and agents")
    .action(async () => {
      const { quickstartSections, quickstartText } = await import('../core/guides/quickstart');
      write(globals().json ? JSON.stringify(quickstartSections(), null, 2) : quickstartText());
    });
  program
    .command('agent-guide')
    .description("The contract every agent works by here: roles, the run's workflow, worktrees, messages, how a run ends")
    .action(async () => {
      const { AGENT_GUIDE } = await import('../core/guides/agent-guide');
      // Upstream prints the text whatever --json says; a script asking for JSON gets JSON here.
      write(globals().json ? JSON.stringify({ text: AGENT_GUIDE }, null, 2) : AGENT_GUIDE);
    });
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function registerWatch(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  const say = sayer(io);
  program
    .command('watch')
    .description("Stream graph and run events as JSON lines (upstream's shape: type, timestamp, task_id, data) until stopped")
    .option('--event <type>', `only these events (repeatable): ${EVENT_FILTERS.join(', ')}`, collect)
    .option('--task <id>', 'only events of tasks whose id starts with this')
    .option('--replay <n>', 'first the n most recent events', '0')
    .action(async (options: { event?: string[]; task?: string; replay: string }) => {
      const filters = options.event ?? ['all'];
      const unknown = filters.find((f) => !(EVENT_FILTERS as readonly string[]).includes(f));
      if (unknown !== undefined) throw new WgError('invalid', `unknown event type '${unknown}': use ${EVENT_FILTERS.join(', ')}`);
      if (!/^\d+$/.test(options.replay)) throw new WgError('invalid', `--replay takes a number of events, not '${options.replay}'`);
      // The stream is read from this machine's store and daemon; a remote one's is its API's event stream.
      refuseRemote('watch a project', globals());
      const { watchGraph } = await import('../core/events/watch-stream');
      const paths = locateProject({ dir: globals().dir, readOnly: true });
      const watching = await watchGraph({
        paths,
        filters,
        task: options.task,
        replay: Number(options.replay),
        write: (line) => io.stdout.write(`${line}\n`),
        onError: (message) => say(`wg: ${message}`),
      });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          // Its store closed first; the exit does not wait on a server that does not answer.
          void watching
            .stop()
            .catch(() => undefined)
            .finally(() => process.exit(0));
        });
      }
    });
}

export function registerLoopCommands(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  registerExec(program, globals, io);
  registerGuides(program, globals, io);
  registerWatch(program, globals, io);
}

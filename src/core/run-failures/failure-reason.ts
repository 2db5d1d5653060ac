import { stderrGist, withoutNoise } from './stderr-gist';

/** How long a failure reason may get: the tail of stderr, enough to see the error, not a dump. */
const MAX_TAIL = 600;

/** The last meaningful lines of a process's stderr, at most MAX_TAIL characters. */
export function stderrTail(text: string, max = MAX_TAIL): string {
  const trimmed = withoutNoise(text).replace(/\s+$/, '');
  if (trimmed.length <= max) return trimmed.trim();
  const cut = trimmed.slice(trimmed.length - max);
  const newline = cut.indexOf('\n');
  // Start at a line boundary when one is near, so the reason does not begin mid-word.
  return `…${newline >= 0 && newline < max / 2 ? cut.slice(newline + 1) : cut}`;
}

/**
 * What the task's log keeps besides a one-line reason: the end of stderr, when it says more than the
 * line the reason took from it. Null when the reason says it all.
 */
export function failureDetail(end: { code: number | null; account?: string | null; stderr_tail: string }): string | null {
  const tail = stderrTail(end.stderr_tail);
  if (!tail || tail === stderrGist(end.stderr_tail)) return null;
  return tail;
}

/** How to get each agent CLI the app starts by name, and the variable that names another place for it. */
const INSTALL: Record<string, { how: string; variable: string }> = {
  claude: { how: 'install Claude Code (npm install -g @anthropic-ai/claude-code)', variable: 'WG_CLAUDE_BIN' },
  codex: { how: 'install it (npm install -g @openai/codex)', variable: 'WG_CODEX_BIN' },
  amplifier: { how: 'install it', variable: 'WG_AMPLIFIER_BIN' },
};

/**
 * The program a shell could not find, from what it printed ("…: 1: claude: not found" from dash,
 * "bash: line 1: claude: command not found", "exec: claude: not found", a spawn's "ENOENT"), or null.
 */
export function missingProgram(text: string): string | null {
  const said =
    /(?:^|[\s:])([\w.+/-]+): (?:command )?not found\s*$/m.exec(text) ??
    /(?:^|[\s:])(\/[\w.+/-]+): No such file or directory\s*$/m.exec(text) ??
    /spawn ([\w.+/-]+) ENOENT/.exec(text);
  return said?.[1] ?? null;
}

/** The variable (WG_CLAUDE_BIN, …) set in `env` to exactly this missing program, if one is. */
export function variableNaming(program: string, env: Readonly<Record<string, string | undefined>>): string | null {
  return Object.values(INSTALL).find(({ variable }) => env[variable] === program)?.variable ?? null;
}

/**
 * One sentence about a program that is not installed, and how to get it. `namedBy`: the variable
 * (WG_CLAUDE_BIN, …) that pointed at it, when it did: that path is what to fix.
 */
export function missingProgramReason(program: string, namedBy: string | null = null): string {
  const name = program.split('/').pop() ?? program;
  const cli = INSTALL[name];
  if (namedBy)
    return `${namedBy} names ${program}, where there is no ${name}: point ${namedBy} at the installed ${name}, or unset it to use ${name} on PATH`;
  return cli
    ? `the ${name} CLI is not installed (or not on PATH): ${cli.how} or set ${cli.variable} to it`
    : `${program} was not found: install it or put it on PATH`;
}

/** A run's worktree cannot be made in a repository with no commit yet: what to do, in one sentence. */
export function noCommitReason(repoTop: string): string {
  return (
    `the git repository ${repoTop} has no commit yet, so no worktree can be made for the run: make a first commit ` +
    '(git add -A && git commit -m "first commit"), or run agents in the folder itself (wg config --worktrees false)'
  );
}

const ROOT_REFUSAL = /dangerously-skip-permissions cannot be used with root/;

/**
 * Claude Code's refusal to run unattended as root, in one sentence with what to do: on this machine,
 * say once that it is a sandbox (agent.sandbox gives Claude IS_SANDBOX=1); on an agent daemon's, whose
 * runs never read this coordinator's settings, give that daemon IS_SANDBOX=1 in its own environment.
 */
function rootReason(taskId: string | null, daemon: string | null = null): string {
  const retry = taskId ? `, then wg retry ${taskId}` : '';
  if (daemon !== null)
    return (
      `Claude Code will not run unattended as root on agent daemon ${daemon}: run that daemon as another user, or, if its machine ` +
      `is a sandbox, add IS_SANDBOX=1 to the daemon's environment (its env file) and restart it${retry}`
    );
  return (
    'Claude Code will not run unattended as root: run the coordinator as another user, or, if this machine is a sandbox ' +
    `(a container or a throwaway VM), say so once with wg config --sandbox true --global${retry}`
  );
}

/** What a failure's reason may know besides the run's end: its task, and the agent daemon it ran on. */
export interface ReasonContext {
  taskId?: string | null;
  daemon?: string | null;
}

/** How a run ended, as far as its reason goes. */
export interface EndForReason {
  code: number | null;
  signal?: string | null;
  account?: string | null;
  stderr_tail: string;
  /** For a program not found: the variable that named it (WG_CLAUDE_BIN, …), when one did. */
  missing_named_by?: string | null;
}

/**
 * A start that cannot work until something changes: the CLI is not installed (the shell's 127), or
 * Claude Code refuses to run as root. It fails once, counting no retry (as a launch that cannot work).
 */
export function cannotWork(end: EndForReason): boolean {
  return (end.code === 127 && missingProgram(end.stderr_tail) !== null) || ROOT_REFUSAL.test(`${end.stderr_tail}\n${end.account ?? ''}`);
}

/** One line at most this long from the agent's own account. */
const MAX_ACCOUNT = 600;

/**
 * Why a run failed, in one line: the agent's own account first (its result or error event: "Prompt
 * is too long", codex's turn.failed message), then the line of its stderr that says what went wrong
 * (the rest goes to the task's log: failureDetail), then only the exit code.
 */
export function failureReason(end: EndForReason, context: ReasonContext = {}): string {
  const status = end.code === null ? (end.signal ? `killed by ${end.signal}` : 'no exit code') : `exit code ${end.code}`;
  // Claude Code as root without IS_SANDBOX=1 (a container's usual user): what to do, in one line.
  if (ROOT_REFUSAL.test(`${end.stderr_tail}\n${end.account ?? ''}`)) return rootReason(context.taskId ?? null, context.daemon ?? null);
  // 127: the shell found no such program; say which and how to get it (the shell's own words stay in the run's output).
  const missing = end.code === 127 ? missingProgram(end.stderr_tail) : null;
  if (missing !== null) return missingProgramReason(missing, end.missing_named_by ?? null);
  const account = end.account?.replace(/\s+/g, ' ').trim();
  if (account) return `${account.length > MAX_ACCOUNT ? `${account.slice(0, MAX_ACCOUNT)}…` : account} (${status})`;
  const text = stderrGist(end.stderr_tail);
  return text ? `${status}: ${text}` : status;
}

/** The wrapper shell reports death by signal N as 128+N; name it so reasons read well. */
export function signalFromStatus(status: number): NodeJS.Signals | null {
  if (status <= 128 || status > 128 + 64) return null;
  const names: Partial<Record<number, NodeJS.Signals>> = {
    1: 'SIGHUP',
    2: 'SIGINT',
    3: 'SIGQUIT',
    4: 'SIGILL',
    6: 'SIGABRT',
    7: 'SIGBUS',
    8: 'SIGFPE',
    9: 'SIGKILL',
    10: 'SIGUSR1',
    11: 'SIGSEGV',
    12: 'SIGUSR2',
    13: 'SIGPIPE',
    14: 'SIGALRM',
    15: 'SIGTERM',
  };
  return names[status - 128] ?? null;
}

import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

/** The variables the agent token may come in (config.ts reads them). */
const TOKEN_VARIABLES = ['WG_AGENT_TOKEN'] as const;

/**
 * The two blocks of this process's memory the kernel shows to others as `/proc/<pid>/cmdline` and
 * `/proc/<pid>/environ`: the arguments and the environment as the process was started with them
 * (`/proc/self/stat` fields 48 to 51). Unsetting a variable does not change them: a job of the same
 * user reads them back whole.
 */
function startBlocks(): Array<{ start: number; end: number }> {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces and parentheses): the first is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return [
    { start: field(48), end: field(49) },
    { start: field(50), end: field(51) },
  ].filter((block) => Number.isSafeInteger(block.start) && block.end > block.start);
}

/** Overwrites every copy of `secret` in the start blocks with NUL bytes (a process may write its own memory). */
function blankStartBlocks(secret: Buffer): void {
  const mem = openSync('/proc/self/mem', 'r+');
  try {
    for (const { start, end } of startBlocks()) {
      const block = Buffer.alloc(end - start);
      readSync(mem, block, 0, block.length, start);
      let found = false;
      for (let at = block.indexOf(secret); at >= 0; at = block.indexOf(secret, at)) {
        block.fill(0, at, at + secret.length);
        found = true;
      }
      if (found) writeSync(mem, block, 0, block.length, start);
    }
  } finally {
    closeSync(mem);
  }
}

function visibleInProc(secret: Buffer): boolean {
  return ['/proc/self/environ', '/proc/self/cmdline'].some((file) => readFileSync(file).includes(secret));
}

/**
 * Takes the daemon's token out of everything its jobs could read of this process: its environment
 * (so nothing it starts inherits it) and, on Linux, the arguments and environment it was started
 * with, which `/proc/<pid>/environ` and `/proc/<pid>/cmdline` show to every process of the same user
 * (the command line to every user). Node cannot exec itself again without them (that came in Node
 * 22.15), and a child started without them would leave this process holding them; so they are
 * blanked where they are. Returns null when done, else why not (said in the daemon's log: the
 * token is then readable there, and RUN_AS is the way to keep it from jobs).
 */
export function hideToken(token: string, env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): string | null {
  const given = argv.some((arg) => arg.includes(token)) || TOKEN_VARIABLES.some((name) => env[name] === token);
  for (const name of TOKEN_VARIABLES) if (env[name] !== undefined) delete env[name];
  if (!given) return null;
  if (process.platform !== 'linux')
    return 'on this system the arguments and environment a process started with stay readable to processes of the same user';
  const secret = Buffer.from(token, 'utf8');
  try {
    blankStartBlocks(secret);
    return visibleInProc(secret) ? 'it is still in /proc/self/environ or /proc/self/cmdline after blanking' : null;
  } catch (error) {
    return `this process may not write its own memory (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

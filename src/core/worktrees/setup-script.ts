import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { WgError } from '../../shared/errors';

/** The project's hook for preparing each new worktree (upstream's `.wg/worktree-setup.sh`). */
const SETUP_SCRIPT = 'worktree-setup.sh';

/** A setup that installs dependencies can take a while; one that hangs must not hold a run forever. */
const SETUP_TIMEOUT_MS = 15 * 60_000;
/** How much of the script's output a failure keeps (its end says why). */
const OUTPUT_TAIL = 2000;

function setupScriptPath(wgDir: string): string {
  return join(wgDir, SETUP_SCRIPT);
}

/**
 * Runs `.workgraph/worktree-setup.sh WORKTREE PROJECT_ROOT` in the new worktree, if the project has
 * one. Unlike upstream (best effort), a failure fails the run with the script's output: an agent in a
 * half-prepared folder would fail later for reasons far harder to see.
 */
export async function runSetupScript(
  wgDir: string,
  worktree: string,
  projectRoot: string,
  env: Record<string, string> = {},
): Promise<boolean> {
  const script = setupScriptPath(wgDir);
  if (!existsSync(script)) return false;
  const result = await execa('bash', [script, worktree, projectRoot], {
    cwd: worktree,
    env,
    reject: false,
    all: true,
    timeout: SETUP_TIMEOUT_MS,
    stdin: 'ignore',
  });
  if (result.exitCode === 0) return true;
  const output = String(result.all ?? '').trim();
  const tail = output.length > OUTPUT_TAIL ? `…${output.slice(-OUTPUT_TAIL)}` : output;
  const how = result.timedOut
    ? `timed out after ${SETUP_TIMEOUT_MS / 60_000} minutes`
    : `exited ${result.exitCode ?? result.signal ?? 'abnormally'}`;
  const gist = firstMeaningfulLine(output);
  throw new SetupScriptError(
    `the worktree setup script ${relative(projectRoot, script) || script} ${how}${gist ? `: ${gist}` : ''}${tail ? ' (its output is in the task log)' : ''}`,
    tail,
  );
}

/** A failed setup script: one line to read, and what it printed for the task's log. */
export class SetupScriptError extends WgError {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super('invalid', message);
  }
}

/** A line that is only a tool's label ("npm error", "ERROR:") or a stack frame says nothing by itself. */
const EMPTY_LINE = /^(?:(?:npm )?(?:error|err!|warn)|error:|fatal:)?\s*$|^at\s/i;
const ERROR_WORDS = /error|fail|exception|denied|refused|cannot|can't|unable|not found|no such|invalid|fatal|missing/i;
const MAX_LINE = 200;

/** The first line of the output that says what went wrong (or, without one, the last it printed). */
function firstMeaningfulLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !EMPTY_LINE.test(line));
  const line = lines.find((l) => ERROR_WORDS.test(l)) ?? lines.at(-1) ?? '';
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}

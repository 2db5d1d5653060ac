import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
    ? `timed out after ${SETUP_TIMEOUT_MS / 60_000} min`
    : `exited ${result.exitCode ?? result.signal ?? 'abnormally'}`;
  throw new WgError('invalid', `worktree setup script ${script} ${how}${tail ? `: ${tail}` : ''}`);
}

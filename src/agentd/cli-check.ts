import { basename } from 'node:path';
import { execa } from 'execa';
import type { CliInfo } from '../shared/agent-protocol';
import { isFile, isRunnable, locateProgram } from '../core/executors/find-program';

/** What the daemon knows of its CLI at start: what it registers, and a line to warn with when it cannot run. */
export interface CliCheck {
  clis: CliInfo[];
  problem: string | null;
}

/** Agent CLIs whose `--version` is known to print their version and do nothing else. */
const VERSIONED_CLIS = new Set(['claude', 'codex']);

/**
 * The agent CLI checked at start without running it: a CLI_COMMAND is a program of the person's own (a job script
 * among them), which takes whatever it is given as a job, so `CLI_COMMAND --version` ran as a job named `--version`.
 * Only the app's own Claude command (`appDefault`) or a CLI_COMMAND that is claude or codex, whose flags are known,
 * is asked for its version.
 */
export async function checkCli(command: string, appDefault: boolean, env: NodeJS.ProcessEnv = process.env): Promise<CliCheck> {
  const what = appDefault ? command : `CLI_COMMAND ${command}`;
  const file = locateProgram(command, env.PATH);
  if (file === null || !isFile(file))
    return {
      clis: [],
      problem: `${what} is not found${command.includes('/') ? '' : ' (not on PATH)'}; jobs will fail until it is installed`,
    };
  if (!isRunnable(file)) return { clis: [], problem: `${what} may not be run (chmod +x ${file}); jobs will fail until it may` };
  const name = basename(command);
  if (!appDefault && !VERSIONED_CLIS.has(name)) return { clis: [{ name, version: '' }], problem: null };
  const result = await execa(file, ['--version'], { reject: false, timeout: 15_000, stdin: 'ignore' }).catch(() => null);
  const version = result?.exitCode === 0 ? (String(result.stdout).split('\n')[0]?.slice(0, 200) ?? '') : '';
  return { clis: [{ name, version }], problem: null };
}

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRunCgroup } from '../core/processes/run-cgroup';
import type { RunHandle } from '../core/processes/kill-runs';

/**
 * lifeline.sh beside this module: src/agentd/ when run from source, out/cli/ in the bundle
 * (scripts/build-cli.mjs copies it there and puts the split bundle's chunks beside the entry; the
 * packaged app unpacks out/cli/ as real files).
 */
const SCRIPT = fileURLToPath(new URL('./lifeline.sh', import.meta.url));

/** Where the lifeline cannot work: no POSIX shell (Windows), where the job runs directly. */
const NO_SHELL = process.platform === 'win32';

export interface LifelineLaunch {
  command: string;
  args: string[];
  /** What stops the job whatever it did: its group (the lifeline's pid, known once spawned), its marker, its cgroup. */
  handle: Omit<RunHandle, 'pid'>;
  /** The file descriptor the lifeline watches; it must be a pipe whose other end only the daemon holds. */
  pipeFd: 3 | null;
}

/**
 * How to start a job so it cannot outlive the daemon (lifeline.sh says how): under the lifeline
 * shell, with a fresh run id as its marker and a cgroup of its own where the system allows one.
 */
export async function lifelineLaunch(command: string, args: readonly string[]): Promise<LifelineLaunch> {
  const runId = randomBytes(12).toString('hex');
  if (NO_SHELL) return { command, args: [...args], handle: { runId: null, cgroup: null }, pipeFd: null };
  if (!existsSync(SCRIPT)) throw new Error(`this installation lacks ${SCRIPT}; reinstall or run \`npm run build:cli\``);
  const cgroup = createRunCgroup(runId);
  return { command: '/bin/sh', args: [SCRIPT, runId, cgroup ?? '', command, ...args], handle: { runId, cgroup }, pipeFd: 3 };
}

import { spawnSync } from 'node:child_process';
import { gitEnv } from './git-env';

/**
 * `git ARGS` in `cwd`, waited for, its stdout when it succeeded, else null: for a synchronous caller (the graph.jsonl
 * sync's steps) asking a question whose failure means "no". Node's own spawnSync, not execa: this module is loaded by
 * every `wg` command's sync, and execa's modules cost each start about 15 ms that only this rare question would use.
 */
export function gitSyncOutput(cwd: string, args: readonly string[], env?: Record<string, string>): string | null {
  const result = spawnSync('git', args, { cwd, env: { ...process.env, ...gitEnv(env) }, encoding: 'utf8' });
  return result.status === 0 ? result.stdout : null;
}

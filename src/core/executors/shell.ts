import { invalid } from '../../shared/errors';
import type { LaunchContext, LaunchSpec } from './launch';

/**
 * The task's `exec` line, run by bash exactly as written (the user wrote it as a shell command), as
 * upstream's shell executor does (`bash -c`).
 */
export function buildShellLaunch(ctx: LaunchContext): LaunchSpec {
  const command = ctx.task.exec?.trim();
  if (!command) {
    throw invalid(`task '${ctx.task.id}' runs with the shell executor but has no command; set one with: wg edit ${ctx.task.id} --exec "…"`);
  }
  return { kind: 'process', command: 'bash', args: ['-c', command], env: {}, stdin: null, cwd: ctx.cwd, output: 'plain' };
}

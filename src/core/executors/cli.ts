import { invalid } from '../../shared/errors';
import type { LaunchContext, LaunchSpec } from './launch';

const PLACEHOLDER = /\{(prompt|cwd|model|task_id)\}/g;

/**
 * A custom command line: profile.command with each of profile.args given as one argv entry after
 * replacing {prompt} {cwd} {model} {task_id}. No shell is involved, and replacement is one pass,
 * so text inside a value (a prompt containing "{cwd}" or "; rm -rf") is never interpreted.
 * {model} is empty when no model was chosen. Without a {prompt} argument the prompt goes to stdin.
 */
export function buildCliLaunch(ctx: LaunchContext): LaunchSpec {
  const command = ctx.profile.command?.trim();
  if (!command) throw invalid(`executor '${ctx.profile.name}' is of type cli but has no command`);
  const values: Record<string, string> = { prompt: ctx.prompt, cwd: ctx.cwd, model: ctx.model.id ?? '', task_id: ctx.task.id };
  const args = ctx.profile.args.map((template) => template.replace(PLACEHOLDER, (_, key: string) => values[key] ?? ''));
  const promptInArgs = ctx.profile.args.some((template) => template.includes('{prompt}'));
  return { kind: 'process', command, args, env: {}, stdin: promptInArgs ? null : ctx.prompt, cwd: ctx.cwd, output: 'plain' };
}

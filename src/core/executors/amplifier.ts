import type { LaunchContext, LaunchSpec } from './launch';
import { commandFrom, type HostEnv } from './host-env';

/** Upstream's built-in amplifier executor ran `amplifier` with these arguments (its default config). */
const AMPLIFIER_ARGS = ['run', '--mode', 'single', '--output-format', 'text'] as const;

/**
 * The amplifier CLI as upstream ran it (its executor and spawn code,
 * before it was removed): `amplifier run --mode single --output-format text`, the prompt on stdin,
 * and a model as `-p PROVIDER -m MODEL` for "provider:model", `-m MODEL` otherwise (none: amplifier
 * uses its settings.yaml). WG_AMPLIFIER_BIN overrides the program, as WG_CLAUDE_BIN does for claude.
 */
export function buildAmplifierLaunch(ctx: LaunchContext, hostEnv: HostEnv): LaunchSpec {
  const args: string[] = [...AMPLIFIER_ARGS];
  // The model as written (upstream passed its spec through), not a registry id with the provider cut off.
  const model = ctx.model.name;
  if (model) {
    const colon = model.indexOf(':');
    if (colon > 0) args.push('-p', model.slice(0, colon), '-m', model.slice(colon + 1));
    else args.push('-m', model);
  }
  return {
    kind: 'process',
    command: commandFrom(hostEnv, 'WG_AMPLIFIER_BIN', 'amplifier'),
    args,
    env: {},
    stdin: ctx.prompt,
    cwd: ctx.cwd,
    output: 'plain',
  };
}

import type { ExecutorProfile } from '../../shared/config-types';
import { BUILTIN_EXECUTORS } from '../config/executors';
import { buildAmplifierLaunch } from './amplifier';
import { buildClaudeLaunch } from './claude';
import { buildCliLaunch } from './cli';
import { buildCodexLaunch } from './codex';
import { buildExternalLaunch } from './external';
import type { HostEnv } from './host-env';
import { buildHttpLaunch } from './http';
import type { LaunchContext, LaunchSpec } from './launch';
import { buildManualLaunch } from './manual';
import { buildRemoteLaunch } from './remote';
import { scheduledExecutor } from './scheduled';
import { buildShellLaunch } from './shell';

export interface BuildLaunchOptions {
  /** Where WG_CLAUDE_BIN / WG_CODEX_BIN are read; defaults to process.env. */
  hostEnv?: HostEnv;
  /** The project's executor profiles, to resolve a schedule's default executor; defaults to the built-ins. */
  profiles?: readonly ExecutorProfile[];
}

/** The LaunchSpec for a task, chosen by its executor profile's type. Throws a WgError ('invalid') when the task cannot run that way. */
export function buildLaunch(ctx: LaunchContext, options: BuildLaunchOptions = {}): LaunchSpec {
  const hostEnv = options.hostEnv ?? process.env;
  switch (ctx.profile.type) {
    case 'claude':
      return buildClaudeLaunch(ctx, hostEnv);
    case 'codex':
      return buildCodexLaunch(ctx, hostEnv);
    case 'amplifier':
      return buildAmplifierLaunch(ctx, hostEnv);
    case 'shell':
      return buildShellLaunch(ctx);
    case 'cli':
      return buildCliLaunch(ctx);
    case 'http':
      return buildHttpLaunch(ctx);
    case 'external':
      return buildExternalLaunch();
    case 'manual':
      return buildManualLaunch();
    case 'remote':
      return buildRemoteLaunch(ctx);
    case 'schedule':
      return buildLaunch({ ...ctx, profile: scheduledExecutor(ctx.settings, options.profiles ?? BUILTIN_EXECUTORS) }, options);
  }
}

export { describeModelSource, resolveModel, resolveRoleModel } from './model-resolution';
export { buildPrompt } from './prompt';
export { shouldRetryFresh } from './claude-resume';
export { scheduledExecutor } from './scheduled';
export type { HostEnv } from './host-env';

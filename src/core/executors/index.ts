import type { ExecutorProfile, Settings } from '../../shared/config-types';
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

/**
 * Whether a run of this profile gets this app's message hooks (core/messages/delivery-hooks.ts): Claude Code and
 * codex started here, whose launches add them. Its prompt says messages are handed over after its tool calls, and
 * the window says a message reaches it then; any other run is told to read them itself.
 */
export function getsMessageHooks(profile: ExecutorProfile, settings: Settings, profiles: readonly ExecutorProfile[]): boolean {
  let type = profile.type;
  if (type === 'schedule') {
    try {
      type = scheduledExecutor(settings, profiles).type;
    } catch {
      // The launch refuses it with the reason.
      return false;
    }
  }
  return type === 'claude' || type === 'codex';
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
export type { HostEnv } from './host-env';

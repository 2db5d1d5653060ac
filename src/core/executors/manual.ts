import type { LaunchSpec } from './launch';

/** Never started automatically; a person does the task. */
export function buildManualLaunch(): LaunchSpec {
  return { kind: 'manual' };
}

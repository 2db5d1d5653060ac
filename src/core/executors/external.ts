import type { LaunchSpec } from './launch';

/** Claimed for someone outside the app, who finishes with `wg done ID --agent A` or the API. */
export function buildExternalLaunch(): LaunchSpec {
  return { kind: 'external' };
}

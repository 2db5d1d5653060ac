import type { AppOpName } from '../shared/app-ops';

/**
 * The app operations' IPC channels, by name only (the sandboxed preload bundles no zod); the check
 * below fails the type-check if this list and src/shared/app-ops.ts drift apart.
 */
export const APP_CHANNELS = [
  'app:projects',
  'app:openFolder',
  'app:switchProject',
  'app:closeProject',
  'app:pauseProject',
  'app:connect',
] as const satisfies readonly AppOpName[];

type Missing = Exclude<AppOpName, (typeof APP_CHANNELS)[number]>;
/** @public A compile-time check that every app operation has a channel: nothing imports it. */
export const APP_CHANNELS_COMPLETE: [Missing] extends [never] ? true : { missing: Missing } = true;

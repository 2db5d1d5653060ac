import { beforeEach } from 'vitest';

/**
 * Each test opens a window afresh, as a person's first launch does. A worker runs file after file (isolate: false
 * in vitest.config.ts) in one happy-dom window, and the window keeps where it was in sessionStorage (the page, the
 * open task: src/renderer/state/navigation.tsx) and its view settings in localStorage: without this, a file opened
 * onto the task an earlier file had open, and its tests passed or failed by the order the files ran in.
 */
const window = globalThis as { sessionStorage?: { clear(): void }; localStorage?: { clear(): void } };
if ('document' in globalThis) {
  beforeEach(() => {
    window.sessionStorage?.clear();
    window.localStorage?.clear();
  });
}

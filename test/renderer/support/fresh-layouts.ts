import { beforeEach } from 'vitest';
import { forgetLayouts } from '../../../src/renderer/graph/layout/layout-graph';

/**
 * Each test starts with a window that knows no layouts, as fresh-window.ts starts it with no stored places. A worker
 * runs file after file (isolate: false in vitest.config.ts): a file that laid out a plan another file had laid out
 * found it known, posted nothing to its layout worker, and failed after that file only (first-snapshot after
 * posted-change).
 */
beforeEach(() => {
  forgetLayouts();
});

import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("the locale's data, loaded off the page's thread before the first graph is shown", () => {
  it('is loaded by the layout worker as it starts: it writes one number in the locale', async () => {
    const formatted = vi.spyOn(Number.prototype, 'toLocaleString');
    // The worker's own scope, as the page's Worker gives it.
    vi.stubGlobal('self', { addEventListener: vi.fn(), postMessage: vi.fn() });
    await import('../../src/renderer/graph/layout/layout.worker');
    expect(formatted).toHaveBeenCalledTimes(1);
  });
});

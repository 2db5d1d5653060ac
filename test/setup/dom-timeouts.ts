/**
 * testing-library's findBy/waitFor give up after 1 s by default. On a loaded 2-core CI machine a
 * lazily loaded chunk (the markdown renderer) or a page's first ops took longer than that, and
 * tests failed that were right. The limit is a hang guard, not a figure: nothing asserts on time.
 * Only files that run in a DOM environment load testing-library at all.
 */
if ('document' in globalThis) {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 15_000 });
}
export {};

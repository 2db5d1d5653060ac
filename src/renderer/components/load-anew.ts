/**
 * Loading a part of the window's code again after its load failed (the coordinator that serves the window in a
 * browser was stopped). Chromium keeps a failed dynamic import for the document's life: the same code imported again
 * fails at once without asking the server (seen on Chromium 150), and the shared chunks it needs fail with it, so no
 * second import in this document can bring it. When the import fails again and the server answers, the window is
 * reloaded: it opens where it was (navigation.tsx and the work view remember the page and the board), and the code is
 * fetched anew. A browser that does fetch again never gets to the reload. Only a second attempt comes here (Retry, or
 * a part opened again), so a part that cannot load while the server answers costs one reload per click, never a loop.
 */
export function loadAnew<T>(load: () => Promise<T>): Promise<T> {
  return load().catch(async (error: unknown) => {
    if (!(await windowServed())) throw error;
    window.location.reload();
    // The reload replaces the document: until then the part stays on its "Loading…".
    return new Promise<never>(() => {});
  });
}

/** Whether the server the window was loaded from answers now (a window loaded from the app's own files: never asked). */
async function windowServed(): Promise<boolean> {
  if (!/^https?:$/.test(window.location.protocol)) return false;
  try {
    return (await fetch(window.location.href, { method: 'HEAD', cache: 'no-store' })).ok;
  } catch {
    return false;
  }
}

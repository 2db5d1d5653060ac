import type { ELK } from 'elkjs/lib/elk-api';

let elk: Promise<ELK> | null = null;

/**
 * ELK, loaded on first use (1.6 MB: it stays out of the window's startup bundle; the layout
 * worker loads it at once). The bundled build runs in the calling thread, which in the worker is
 * what we want; the window uses it only where there are no workers (tests).
 * Only the layered algorithm (the one used) is registered: by default ELK registers all nine
 * before its first layout.
 */
export function loadElk(): Promise<ELK> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELKConstructor }) => new ELKConstructor({ algorithms: ['layered'] }));
  return elk;
}

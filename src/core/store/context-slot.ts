import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One AsyncLocalStorage for the whole process, holding a value for each slot. On Node 20 and 22 every
 * AsyncLocalStorage that has run is visited at each promise's creation until it is disabled: one per store and per
 * engine made every await of the process slower with each project opened (3,000 of them: 100,000 awaits took 127 s
 * instead of 53 ms), which a long-lived app that opens projects, or a test worker, reaches. A slot is a key into the
 * one storage's map; what it holds goes with the async context that holds it.
 */
const storage = new AsyncLocalStorage<ReadonlyMap<ContextSlot<unknown>, unknown>>();

export class ContextSlot<T> {
  /** The slot's value in the caller's async context. */
  get(): T | undefined {
    return storage.getStore()?.get(this) as T | undefined;
  }

  /** Runs `work` with the slot holding `value` (the other slots' values kept). */
  run<R>(value: T, work: () => R): R {
    const next = new Map(storage.getStore());
    next.set(this, value);
    return storage.run(next, work);
  }

  /** Runs `work` with the slot empty (the other slots' values kept). */
  exit<R>(work: () => R): R {
    const current = storage.getStore();
    if (!current?.has(this)) return work();
    const next = new Map(current);
    next.delete(this);
    return storage.run(next, work);
  }
}

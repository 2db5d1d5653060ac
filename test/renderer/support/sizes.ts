import { afterAll, beforeAll } from 'vitest';

/**
 * happy-dom lays nothing out: every element measures 0 × 0, and a graph of that size draws no
 * cards, a list no rows. Gives elements a size for the tests of this file (React Flow reads
 * offsetWidth/Height; `rowHeight` is what each row of a virtual list measures).
 */
export function giveElementsASize(sizes: { width: number; height: number; rowHeight?: number }): void {
  // A virtual list measures its rows by offsetHeight and its viewport by clientHeight.
  const values: Record<string, number> = {
    offsetWidth: sizes.width,
    offsetHeight: sizes.rowHeight ?? sizes.height,
    clientWidth: sizes.width,
    clientHeight: sizes.height,
  };
  const saved = new Map<string, PropertyDescriptor | undefined>();
  beforeAll(() => {
    for (const [name, value] of Object.entries(values)) {
      saved.set(name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
      Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
    }
  });
  afterAll(() => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    }
  });
}

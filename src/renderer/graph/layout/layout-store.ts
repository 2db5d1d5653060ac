import { TimeSlices } from '../../scheduling/time-slices';
import type { ComponentLayout } from './layout-types';

/**
 * Component layouts kept across sessions (IndexedDB), so reopening a big project shows it at once
 * instead of waiting for the layout again. Keyed by a hash of the component's structure and this
 * version (a change of cards or of the layout's rules must not reuse old layouts); only the newest
 * MAX_ENTRIES are kept. Anything that fails (no IndexedDB, private mode, a full disk) only
 * means the layout is computed, as without it.
 */
const DB_NAME = 'wg-layouts';
const STORE = 'components';
const VERSION = 'layered-1';
const MAX_ENTRIES = 4000;

/**
 * A layout as stored: numbers in typed arrays. Reading back 50 layouts of 200 cards as plain objects
 * (75,000 of them) made a long task of the window's; typed arrays are copied, not rebuilt.
 */
interface Packed {
  nodes: string[];
  xy: Float64Array;
  edges: string[];
  /** Points per edge route; the points follow in `points`. */
  counts: Uint16Array;
  points: Float64Array;
  width: number;
  height: number;
}

interface Entry {
  key: string;
  layout: Packed;
  at: number;
}

function pack(layout: ComponentLayout): Packed {
  const nodes = Object.keys(layout.positions);
  const xy = new Float64Array(nodes.length * 2);
  nodes.forEach((id, i) => {
    const p = layout.positions[id] as { x: number; y: number };
    xy[2 * i] = p.x;
    xy[2 * i + 1] = p.y;
  });
  const edges = Object.keys(layout.routes);
  const counts = new Uint16Array(edges.length);
  let total = 0;
  edges.forEach((id, i) => {
    counts[i] = layout.routes[id]?.length ?? 0;
    total += counts[i] as number;
  });
  const points = new Float64Array(total * 2);
  let at = 0;
  for (const id of edges) {
    for (const p of layout.routes[id] ?? []) {
      points[at++] = p.x;
      points[at++] = p.y;
    }
  }
  return { nodes, xy, edges, counts, points, width: layout.width, height: layout.height };
}

/** A stored layout as objects again, in time slices (a 50,000-task plan's is a long task otherwise). */
async function unpack(packed: Packed, slices: TimeSlices): Promise<ComponentLayout> {
  const positions: ComponentLayout['positions'] = {};
  for (let i = 0; i < packed.nodes.length; i++) {
    positions[packed.nodes[i] as string] = { x: packed.xy[2 * i] as number, y: packed.xy[2 * i + 1] as number };
    if (slices.due()) await slices.next();
  }
  const routes: ComponentLayout['routes'] = {};
  let at = 0;
  for (let i = 0; i < packed.edges.length; i++) {
    const route = [];
    for (let k = 0; k < (packed.counts[i] as number); k++, at += 2)
      route.push({ x: packed.points[at] as number, y: packed.points[at + 1] as number });
    routes[packed.edges[i] as string] = route;
    if (slices.due()) await slices.next();
  }
  return { positions, routes, width: packed.width, height: packed.height };
}

let db: Promise<IDBDatabase | null> | null = null;

/**
 * Opens the store ahead of the first lookup (at startup, while the graph loads): opened only when
 * the snapshot is there, it would delay a large first view, and the layout waits for the lookup.
 */
export function openLayoutStore(): void {
  void open();
}

function open(): Promise<IDBDatabase | null> {
  db ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') {
      resolve(null);
      return;
    }
    try {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' }).createIndex('at', 'at');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return db;
}

/** A short, stable key for a structure signature (FNV-1a, two 32-bit halves). */
function storedKey(signature: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < signature.length; i++) {
    const c = signature.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 2246822519);
  }
  return `${VERSION}:${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}:${signature.length}`;
}

/** The stored layouts among `signatures` (a map from signature to layout). */
export async function loadLayouts(signatures: readonly string[]): Promise<Map<string, ComponentLayout>> {
  const found = new Map<string, ComponentLayout>();
  const database = await open();
  if (!database || signatures.length === 0) return found;
  const entries = await new Promise<Map<string, Packed>>((resolve) => {
    const read = new Map<string, Packed>();
    try {
      const store = database.transaction(STORE, 'readonly').objectStore(STORE);
      let left = signatures.length;
      for (const signature of signatures) {
        const request = store.get(storedKey(signature));
        request.onsuccess = () => {
          const entry = request.result as Entry | undefined;
          if (entry) read.set(signature, entry.layout);
          if (--left === 0) resolve(read);
        };
        request.onerror = () => {
          if (--left === 0) resolve(read);
        };
      }
    } catch {
      resolve(read);
    }
  });
  const slices = new TimeSlices();
  for (const [signature, packed] of entries) found.set(signature, await unpack(packed, slices));
  return found;
}

const unsaved = new Map<string, ComponentLayout>();
let flush: ReturnType<typeof setTimeout> | null = null;
const SAVE_AFTER_MS = 1500;

/** Keeps a layout for next time; written in batches, a moment later (a layout worker keeps those it lays out). */
export function keepLayout(signature: string, layout: ComponentLayout): void {
  unsaved.set(signature, layout);
  if (flush !== null) return;
  flush = setTimeout(() => {
    flush = null;
    const batch = new Map(unsaved);
    unsaved.clear();
    void saveLayouts(batch);
  }, SAVE_AFTER_MS);
}

/** Keeps these layouts for next time, and forgets the oldest beyond MAX_ENTRIES. */
async function saveLayouts(layouts: ReadonlyMap<string, ComponentLayout>): Promise<void> {
  const database = await open();
  if (!database || layouts.size === 0) return;
  try {
    const transaction = database.transaction(STORE, 'readwrite');
    const store = transaction.objectStore(STORE);
    const now = Date.now();
    for (const [signature, layout] of layouts) store.put({ key: storedKey(signature), layout: pack(layout), at: now } satisfies Entry);
    const count = store.count();
    count.onsuccess = () => {
      let excess = count.result - MAX_ENTRIES;
      if (excess <= 0) return;
      store.index('at').openCursor().onsuccess = (event) => {
        const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
        if (!cursor || excess-- <= 0) return;
        cursor.delete();
        cursor.continue();
      };
    };
  } catch {
    // Not kept; computed again next time.
  }
}

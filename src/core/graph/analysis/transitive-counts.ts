import type { Task } from '../../../shared/task';
import { transitiveDependents } from './bottlenecks';
import { dependentsIndex } from './task-index';

/**
 * Above this many tasks the sets could take too much memory (a set of every task for each part still to be read: a
 * root with 50,000 tasks after it would hold 50,000 sets of 50,000 bits, 312 MB), so each task is walked from instead.
 */
const MOST_FOR_SETS = 20_000;

/**
 * How many tasks wait on each task, transitively: for every task, the size of `transitiveDependents` (bottlenecks.ts,
 * upstream's collect_transitive_dependents), a task on a loop counting itself. Walking from every task costs the square
 * of a long chain's length (a chain of 5,000 took seconds for each report that asked); here each strongly connected
 * part (Tarjan) takes the union of what waits on the parts after it, as bit sets, in one pass from the last, each set
 * dropped once every part before it has used it.
 */
export function transitiveCounts(tasks: readonly Task[]): Map<string, number> {
  const n = tasks.length;
  if (n > MOST_FOR_SETS) {
    const dependents = dependentsIndex(tasks);
    return new Map(tasks.map((t) => [t.id, transitiveDependents(dependents, t.id).size]));
  }
  const at = new Map(tasks.map((t, i) => [t.id, i]));
  // Edges from a task to those that wait on it, between tasks of the graph; a task naming itself is a loop of one.
  const next: number[][] = tasks.map(() => []);
  const selfLoop = new Uint8Array(n);
  tasks.forEach((task, i) => {
    for (const dep of new Set(task.after)) {
      const from = at.get(dep);
      if (from === undefined) continue;
      if (from === i) selfLoop[i] = 1;
      else next[from]?.push(i);
    }
  });
  const { part, parts } = stronglyConnected(next);
  const members: number[][] = Array.from({ length: parts }, () => []);
  for (let v = 0; v < n; v++) members[part[v] as number]?.push(v);
  // How many parts lead into each part: its set is dropped once they have all read it.
  const readers = new Int32Array(parts);
  const after: number[][] = Array.from({ length: parts }, () => []);
  for (let p = 0; p < parts; p++) {
    const seen = new Set<number>();
    for (const v of members[p] ?? [])
      for (const w of next[v] ?? []) {
        const q = part[w] as number;
        if (q !== p && !seen.has(q)) {
          seen.add(q);
          after[p]?.push(q);
          readers[q] = (readers[q] ?? 0) + 1;
        }
      }
  }
  const words = Math.ceil(n / 32);
  const full: Array<Uint32Array | undefined> = new Array(parts);
  const counts = new Map<string, number>();
  // Tarjan numbers a part after every part it leads to: part 0 waits on nothing later.
  for (let p = 0; p < parts; p++) {
    const reach = new Uint32Array(words);
    for (const q of after[p] ?? []) {
      const set = full[q] as Uint32Array;
      for (let k = 0; k < words; k++) reach[k] = (reach[k] as number) | (set[k] as number);
      readers[q] = (readers[q] as number) - 1;
      if (readers[q] === 0) full[q] = undefined;
    }
    const group = members[p] ?? [];
    const beyond = popCount(reach);
    const looped = group.length > 1 || selfLoop[group[0] as number] === 1;
    for (const v of group) counts.set(tasks[v]?.id as string, beyond + (looped ? group.length : 0));
    if ((readers[p] ?? 0) > 0) {
      for (const v of group) reach[v >>> 5] = (reach[v >>> 5] as number) | (1 << (v & 31));
      full[p] = reach;
    }
  }
  return counts;
}

function popCount(set: Uint32Array): number {
  let total = 0;
  for (let word of set) {
    word -= (word >>> 1) & 0x55555555;
    word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
    total += (((word + (word >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return total;
}

/** Tarjan's strongly connected components, without recursion: each node's part, parts numbered sinks first. */
function stronglyConnected(next: readonly (readonly number[])[]): { part: Int32Array; parts: number } {
  const n = next.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const part = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  let parts = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const frames: Array<{ v: number; edge: number }> = [{ v: root, edge: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { v: number; edge: number };
      const edges = next[frame.v] ?? [];
      if (frame.edge < edges.length) {
        const w = edges[frame.edge++] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push({ v: w, edge: 0 });
        } else if (onStack[w]) low[frame.v] = Math.min(low[frame.v] as number, index[w] as number);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v] as number, low[frame.v] as number);
      if (low[frame.v] === index[frame.v]) {
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          part[w] = parts;
        } while (w !== frame.v);
        parts++;
      }
    }
  }
  return { part, parts };
}

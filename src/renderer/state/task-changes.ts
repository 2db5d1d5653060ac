/**
 * Which tasks changed from one graph to another, as the graph store recorded when it made them: a
 * merge knows the tasks it brought, so what keeps something per task (the dependents index, the
 * states, the layout's input) looks at those, not at every task of a 50,000-task plan to find them.
 * The task states record theirs the same way (a map of states made from the one before).
 */
type Keyed = ReadonlyMap<string, unknown>;
const versions = new WeakMap<Keyed, number>();
/** Each graph made from the one before by merging these tasks, by the version it got. */
const steps = new Map<number, { from: number; ids: readonly string[] }>();
let latest = 0;
/** Steps kept: a reader further behind than this reads the two graphs whole. */
const KEEP = 1024;

/** `after` was made from `before` by setting the tasks of `ids` (null: made anew, a full snapshot). */
export function recordChanges(before: Keyed, after: Keyed, ids: readonly string[] | null): void {
  const version = ++latest;
  versions.set(after, version);
  const from = versions.get(before);
  if (ids && from !== undefined) steps.set(version, { from, ids });
  steps.delete(version - KEEP);
}

/**
 * The ids of the tasks that may differ between `before` and `after` (added, replaced or removed):
 * those the store's merges between them set; for graphs not made so (a full snapshot between them,
 * a reader too far behind, a graph built elsewhere) every id of both, as read from nothing. Either
 * way a reader compares the two tasks of each id.
 */
export function changedKeys(before: Keyed, after: Keyed): Iterable<string> {
  return changedSince(before, after) ?? everyKey(before, after);
}

/** Every id of both, each once (those of `before`, then those only `after` has), with no set of them made. */
function* everyKey(before: Keyed, after: Keyed): Generator<string> {
  yield* before.keys();
  for (const id of after.keys()) if (!before.has(id)) yield id;
}

/**
 * As changedKeys, but null where neither graph was made from the other by merges (changedKeys then
 * names every id of both): a reader that reads `after` from nothing then needs no list of them.
 */
export function changedSince(before: Keyed, after: Keyed): Iterable<string> | null {
  if (before === after) return [];
  const one = versions.get(before);
  const other = versions.get(after);
  if (one === undefined || other === undefined) return null;
  // Either way: an older graph asked for after a newer one (a render React set aside and drew again with the graph
  // before) differs by the same merges. Read as unrelated, a 50,000-task plan's was read whole by each keeper, in the
  // render that drew a link.
  const from = Math.min(one, other);
  let at: number | undefined = Math.max(one, other);
  const walked: Array<readonly string[]> = [];
  while (at !== undefined && at > from) {
    const step: { from: number; ids: readonly string[] } | undefined = steps.get(at);
    if (!step) break;
    walked.push(step.ids);
    at = step.from;
  }
  // In the order the merges came (new tasks in the order the graph took them).
  return at === from ? new Set(walked.reverse().flat()) : null;
}

import type { JsonValue } from '../../shared/task';

/*
 * The merge of one task between graph.jsonl ("theirs": what upstream's wg, or anyone, wrote there)
 * and this app's graph ("ours"), against the versions both had at the last sync ("bases"). Each side
 * is compared with its own base in its own spelling (upstream may write a priority as "high", this
 * app as 50), so only real changes count:
 *   - a field only one side changed takes that side's value;
 *   - a field both changed: lists of names (dependencies, tags, artifacts, …) take both sides'
 *     additions and removals, the log takes every entry of both, anything else takes the value of
 *     the side that wrote the task later;
 *   - the log never loses an entry (upstream only ever appends to it);
 *   - a task one side added is added; one side removed is removed, unless the other side changed it
 *     since (then it stays, changed).
 * Pure: no store, no file.
 */

export type Line = Record<string, JsonValue>;

/** Lists whose order carries no meaning: merged as sets. */
const NAME_LISTS = new Set(['after', 'blocked_by', 'before', 'requires', 'tags', 'skills', 'inputs', 'deliverables', 'artifacts']);
/** The node's identity, never merged. */
const IDENTITY = new Set(['kind', 'id']);

export interface TaskSides {
  /** Whether the two were synced before: without bases, every difference is a change of both sides. */
  known: boolean;
  theirsBase: Line | null;
  theirs: Line | null;
  oursBase: Line | null;
  ours: Line | null;
  /** When each side last wrote the task (ms since the epoch): the later one wins a field both changed. */
  theirsAt: number;
  oursAt: number;
}

/** What the store must do for the merged task. */
export type StoreChange =
  | { kind: 'none' }
  /** Take these fields of the merged line (a field missing from it is cleared). */
  | { kind: 'fields'; fields: string[] }
  /** A task the store does not have: add it as the merged line says. */
  | { kind: 'add' }
  | { kind: 'remove' };

export interface TaskMerge {
  /** The task's line in graph.jsonl after the sync; null: no such task. */
  line: Line | null;
  /** The line differs from what graph.jsonl has now. */
  fileChanged: boolean;
  store: StoreChange;
}

/** JSON equality, whatever the order of an object's keys. */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((value, i) => sameJson(value, b[i]));
  }
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
  return keys.every((k) => sameJson(a[k], b[k]));
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/**
 * The same value of a field, however each side spells it: lists of names in any order (the store
 * keeps tags sorted), the same instant as "+00:00" or "Z", with or without fractions.
 */
function sameField(key: string, a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (sameJson(a, b)) return true;
  if (NAME_LISTS.has(key) && Array.isArray(a) && Array.isArray(b)) {
    const set = new Set(names(a));
    return a.length === b.length && set.size === new Set(names(b)).size && names(b).every((x) => set.has(x));
  }
  if (typeof a === 'string' && typeof b === 'string' && ISO_TIME.test(a) && ISO_TIME.test(b)) {
    const [ta, tb] = [Date.parse(a), Date.parse(b)];
    return !Number.isNaN(ta) && ta === tb;
  }
  return false;
}

function names(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Both sides' additions and removals of a list of names, theirs' order first. */
export function mergeNames(
  theirsBase: JsonValue | undefined,
  theirs: JsonValue | undefined,
  oursBase: JsonValue | undefined,
  ours: JsonValue | undefined,
): string[] {
  const [tb, t, ob, o] = [names(theirsBase), names(theirs), names(oursBase), names(ours)];
  const kept = t.filter((x) => o.includes(x) || !ob.includes(x));
  const added = o.filter((x) => !t.includes(x) && !tb.includes(x));
  return [...new Set([...kept, ...added])];
}

function logKey(entry: JsonValue): string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return JSON.stringify(entry);
  return [entry.timestamp, entry.actor ?? '', entry.message].map((v) => String(v)).join('\u0000');
}

function timeOf(entry: JsonValue): number {
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry) && typeof entry.timestamp === 'string'
    ? Date.parse(entry.timestamp)
    : Number.NaN;
}

/** Every entry of both logs once (same time, actor and message), in time order. */
export function mergeLogs(theirs: JsonValue | undefined, ours: JsonValue | undefined): JsonValue[] {
  const t = Array.isArray(theirs) ? theirs : [];
  const o = Array.isArray(ours) ? ours : [];
  const seen = new Set(t.map(logKey));
  const all = [...t, ...o.filter((e) => !seen.has(logKey(e)))].map((entry, index) => ({ entry, index, at: timeOf(entry) }));
  all.sort((a, b) => (Number.isNaN(a.at) || Number.isNaN(b.at) ? a.index - b.index : a.at - b.at || a.index - b.index));
  return all.map((e) => e.entry);
}

function mergeField(key: string, s: { tb: Line; t: Line; ob: Line; o: Line }, theirsLater: boolean): JsonValue | undefined {
  const theirsChanged = !sameField(key, s.t[key], s.tb[key]);
  const oursChanged = !sameField(key, s.o[key], s.ob[key]);
  if (!oursChanged) {
    // No upstream command removes a log entry: one graph.jsonl lacks (a stale copy written back) is kept.
    if (key === 'log' && theirsChanged) {
      const all = mergeLogs(s.t[key], s.o[key]);
      if (all.length > (Array.isArray(s.t[key]) ? s.t[key].length : 0)) return all;
    }
    return s.t[key];
  }
  // Both spell the same value: graph.jsonl's spelling stays.
  if (sameField(key, s.t[key], s.o[key])) return s.t[key];
  // The log: graph.jsonl's entries as it wrote them (an empty actor, a field this app does not keep), then this app's.
  if (key === 'log') return mergeLogs(s.t[key], s.o[key]);
  if (!theirsChanged) return s.o[key];
  if (NAME_LISTS.has(key)) return mergeNames(s.tb[key], s.t[key], s.ob[key], s.o[key]);
  return theirsLater ? s.t[key] : s.o[key];
}

/** Upstream's older names of a field (its serde aliases): `blocked_by` is read as `after`, `blocks` as `before`. */
const OLDER_NAMES: ReadonlyArray<readonly [older: string, name: string]> = [
  ['blocked_by', 'after'],
  ['blocks', 'before'],
];

/**
 * The line with each older name folded into its present one. Upstream reads a line that has both (`blocked_by`
 * and `after`) as a duplicate field and then loads no part of graph.jsonl; so a merged line has one of each.
 */
function withPresentNames(line: Line): Line {
  if (!OLDER_NAMES.some(([older]) => older in line)) return line;
  const out: Line = { ...line };
  for (const [older, name] of OLDER_NAMES) {
    if (!(older in out)) continue;
    const merged = [...new Set([...names(out[name]), ...names(out[older])])];
    delete out[older];
    out[name] = merged;
  }
  return out;
}

function mergeBoth(sides: TaskSides, theirsAsWritten: Line, oursAsWritten: Line): TaskMerge {
  // Each side in the present names, so that an older line's `blocked_by` and this app's `after` are one field.
  const theirs = withPresentNames(theirsAsWritten);
  const ours = withPresentNames(oursAsWritten);
  const base = (line: Line | null) => (sides.known && line ? withPresentNames(line) : {});
  // Without a base (never synced), each side's whole line counts as its change.
  const s = { tb: base(sides.theirsBase), t: theirs, ob: base(sides.oursBase), o: ours };
  const theirsLater = sides.theirsAt >= sides.oursAt;
  const line: Line = { ...theirs };
  const fields: string[] = [];
  let fileChanged = false;
  for (const key of new Set([...Object.keys(s.t), ...Object.keys(s.tb), ...Object.keys(s.o), ...Object.keys(s.ob)])) {
    if (IDENTITY.has(key)) continue;
    const value = mergeField(key, s, theirsLater);
    if (value === undefined) delete line[key];
    else line[key] = value;
    if (!sameJson(value, s.t[key])) fileChanged = true;
    // The store takes what it did not have, where graph.jsonl's side had a say.
    if (!sameField(key, s.t[key], s.tb[key]) && !sameField(key, value, s.o[key])) fields.push(key);
  }
  return { line, fileChanged, store: fields.length ? { kind: 'fields', fields } : { kind: 'none' } };
}

export function mergeTask(sides: TaskSides): TaskMerge {
  const { theirs, ours, theirsBase, oursBase } = sides;
  if (theirs && ours) return mergeBoth(sides, theirs, ours);
  if (theirs) {
    // Removed here; if graph.jsonl changed it since, it stays (changed) and comes back here.
    if (sides.known && oursBase && sameJson(theirs, theirsBase ?? undefined))
      return { line: null, fileChanged: true, store: { kind: 'none' } };
    return { line: theirs, fileChanged: false, store: { kind: 'add' } };
  }
  if (ours) {
    // Removed from graph.jsonl (upstream's gc, archive, or a hand edit); if changed here since, it stays.
    if (sides.known && theirsBase && sameJson(ours, oursBase ?? undefined))
      return { line: null, fileChanged: false, store: { kind: 'remove' } };
    return { line: ours, fileChanged: true, store: { kind: 'none' } };
  }
  return { line: null, fileChanged: false, store: { kind: 'none' } };
}

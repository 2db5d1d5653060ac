import { describe, expect, it } from 'vitest';
import { mergeLogs, mergeNames, mergeTask, sameJson, type Line, type TaskSides } from '../../src/core/upstream-sync/task-merge';

const base: Line = { kind: 'task', id: 'a', title: 'A', status: 'open', priority: 'high', after: ['x'], tags: ['t'], skills: ['rust'] };
const oursBase: Line = { kind: 'task', id: 'a', title: 'A', status: 'open', priority: 50, after: ['x'], tags: ['t'], skills: ['rust'] };

function sides(over: Partial<TaskSides>): TaskSides {
  return { known: true, theirsBase: base, theirs: base, oursBase, ours: oursBase, theirsAt: 1000, oursAt: 2000, ...over };
}

describe('merging one task field by field against the last synced versions', () => {
  it('changes nothing when neither side changed, though each spells a field its own way', () => {
    expect(mergeTask(sides({}))).toEqual({ line: base, fileChanged: false, store: { kind: 'none' } });
  });

  it('takes a field only graph.jsonl changed into the store, and one only this app changed into the file', () => {
    const fromFile = mergeTask(sides({ theirs: { ...base, title: 'A2' } }));
    expect(fromFile).toMatchObject({ line: { title: 'A2' }, fileChanged: false, store: { kind: 'fields', fields: ['title'] } });
    const fromHere = mergeTask(sides({ ours: { ...oursBase, status: 'done' } }));
    expect(fromHere).toMatchObject({ line: { status: 'done', priority: 'high' }, fileChanged: true, store: { kind: 'none' } });
  });

  it('keeps both sides when they changed different fields of the same task', () => {
    const result = mergeTask(sides({ theirs: { ...base, title: 'From upstream' }, ours: { ...oursBase, status: 'in-progress' } }));
    expect(result.line).toMatchObject({ title: 'From upstream', status: 'in-progress' });
    expect(result).toMatchObject({ fileChanged: true, store: { kind: 'fields', fields: ['title'] } });
  });

  it('gives a field both changed to the side that wrote later', () => {
    const both = { theirs: { ...base, title: 'theirs' }, ours: { ...oursBase, title: 'ours' } };
    expect(mergeTask(sides({ ...both, theirsAt: 1000, oursAt: 2000 })).line?.title).toBe('ours');
    const later = mergeTask(sides({ ...both, theirsAt: 3000, oursAt: 2000 }));
    expect(later.line?.title).toBe('theirs');
    expect(later.store).toEqual({ kind: 'fields', fields: ['title'] });
  });

  it('merges lists of names and logs when both changed them: no dependency, tag or log entry is lost', () => {
    const theirs = { ...base, after: ['x', 'y'], tags: [], log: [{ timestamp: '2026-01-01T00:00:02Z', message: 'up' }] };
    const ours = {
      ...oursBase,
      after: ['z'],
      tags: ['t', 'u'],
      log: [{ timestamp: '2026-01-01T00:00:01Z', actor: 'user', message: 'here' }],
    };
    const result = mergeTask(sides({ theirs, ours }));
    // Upstream added y, this app removed x and added z; upstream removed t, this app added u.
    expect(result.line?.after).toEqual(['y', 'z']);
    expect(result.line?.tags).toEqual(['u']);
    expect(result.line?.log).toEqual([ours.log[0], theirs.log[0]]);
    expect(result.store).toEqual({ kind: 'fields', fields: ['after', 'tags', 'log'] });
  });

  it('adds a task either side added, removes one a side removed unless the other changed it since', () => {
    expect(mergeTask(sides({ theirsBase: null, oursBase: null, ours: null }))).toMatchObject({
      store: { kind: 'add' },
      fileChanged: false,
    });
    expect(mergeTask(sides({ theirsBase: null, oursBase: null, theirs: null }))).toMatchObject({ line: oursBase, fileChanged: true });
    expect(mergeTask(sides({ theirs: null }))).toEqual({ line: null, fileChanged: false, store: { kind: 'remove' } });
    expect(mergeTask(sides({ theirs: null, ours: { ...oursBase, status: 'done' } }))).toMatchObject({
      line: { status: 'done' },
      fileChanged: true,
      store: { kind: 'none' },
    });
    expect(mergeTask(sides({ ours: null }))).toEqual({ line: null, fileChanged: true, store: { kind: 'none' } });
    expect(mergeTask(sides({ ours: null, theirs: { ...base, title: 'still wanted' } }))).toMatchObject({ store: { kind: 'add' } });
  });

  it('never synced: equal fields stay as graph.jsonl spells them, different ones go to the newer line, lists join', () => {
    const theirs = { ...base, created_at: '2026-01-01T00:00:00Z', after: ['x'] };
    const ours = {
      ...oursBase,
      created_at: '2026-01-01T00:00:00Z',
      after: ['x', 'w'],
      status: 'done',
      log: [{ timestamp: '2026-02-01T00:00:00Z', message: 'done here' }],
    };
    const result = mergeTask({ known: false, theirsBase: null, theirs, oursBase: null, ours, theirsAt: 1, oursAt: 2 });
    // The newer line's spelling of a field that differs only in spelling is as good (upstream reads 50 as "high").
    expect(result.line).toMatchObject({ priority: 50, status: 'done', after: ['x', 'w'], title: 'A' });
    const tie = mergeTask({
      known: false,
      theirsBase: null,
      theirs,
      oursBase: null,
      ours: { ...oursBase, created_at: '2026-01-01T00:00:00Z' },
      theirsAt: 5,
      oursAt: 5,
    });
    expect(tie.fileChanged).toBe(false);
  });
});

describe("graph.jsonl's log entries", () => {
  it('are kept as written when only this app added one (an empty actor, a field it does not keep)', () => {
    const theirLog: Line[] = [
      { timestamp: '2026-01-01T00:00:00+00:00', actor: 'agent-1', message: 'm', trace_id: 'abc' },
      { timestamp: '2026-01-01T00:00:01+00:00', actor: '', message: 'e' },
    ];
    const ourLog: Line[] = [
      { timestamp: '2026-01-01T00:00:00+00:00', actor: 'agent-1', message: 'm' },
      { timestamp: '2026-01-01T00:00:01+00:00', message: 'e' },
    ];
    const added = { timestamp: '2026-01-02T00:00:00Z', actor: 'user', message: 'note' };
    const theirs = { ...base, log: theirLog };
    const result = mergeTask(
      sides({ theirsBase: theirs, theirs, oursBase: { ...oursBase, log: ourLog }, ours: { ...oursBase, log: [...ourLog, added] } }),
    );
    expect(result.line?.log).toEqual([...theirLog, added]);
  });
});

describe("upstream's older names of a field (blocked_by for after, blocks for before)", () => {
  // Upstream reads `blocked_by` as `after` and `blocks` as `before` (serde aliases); a line with both names of one field
  // is a duplicate field to it, and its load of graph.jsonl then fails whole.
  const old: Line = { kind: 'task', id: 'l', title: 'L', status: 'open', blocked_by: ['b'], blocks: ['z'] };
  const oursOld: Line = { kind: 'task', id: 'l', title: 'L', status: 'open', after: ['b'], before: ['z'] };

  it('writes a dependency added here under the present name only, keeping the older list', () => {
    const result = mergeTask(sides({ theirsBase: old, theirs: old, oursBase: oursOld, ours: { ...oursOld, after: ['b', 'o'] } }));
    expect(result.fileChanged).toBe(true);
    expect(result.line).toEqual({ kind: 'task', id: 'l', title: 'L', status: 'open', after: ['b', 'o'], before: ['z'] });
  });

  it('removes a dependency removed here, though the line names it under the older name', () => {
    const result = mergeTask(sides({ theirsBase: old, theirs: old, oursBase: oursOld, ours: { ...oursOld, after: [] } }));
    expect(result.line).toMatchObject({ after: [] });
    expect(result.line).not.toHaveProperty('blocked_by');
  });

  it('leaves an older line as written when nothing changed on either side', () => {
    expect(mergeTask(sides({ theirsBase: old, theirs: old, oursBase: oursOld, ours: oursOld }))).toMatchObject({
      fileChanged: false,
      store: { kind: 'none' },
    });
  });
});

describe('the pieces of a merge', () => {
  it('compares JSON whatever the key order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
  });

  it('merges names three ways and logs by time, each entry once', () => {
    expect(mergeNames(['a', 'b'], ['a', 'b', 'c'], ['a', 'b'], ['b', 'd'])).toEqual(['b', 'c', 'd']);
    const e1 = { timestamp: '2026-01-01T00:00:01Z', actor: 'a', message: 'one' };
    const e2 = { timestamp: '2026-01-01T00:00:02+00:00', message: 'two' };
    expect(mergeLogs([e2], [e1, e2])).toEqual([e1, e2]);
  });
});

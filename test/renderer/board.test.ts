import { describe, expect, it } from 'vitest';
import { boardColumns, taskOrder } from '../../src/renderer/board/board-columns';
import { cardRowFrom, columnWithCards, edgeCardRow } from '../../src/renderer/board/board-moves';
import { MOST_CHANGES, reorder, type Ranked } from '../../src/renderer/board/priority-order';
import { STATE_KINDS, TaskStates, type StateContext } from '../../src/renderer/task-state/task-state';
import { WORK_COLUMNS, workColumn } from '../../src/renderer/task-state/work-column';
import { failedUpstream } from '../../src/shared/task-hold';
import type { Task } from '../../src/shared/task';
import { makeTask } from './support/fixtures';

const NOW = Date.parse('2025-06-02T08:00:00Z');
const at = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

function board(tasks: Task[], shown: ReadonlySet<string> | null = null, pending?: ReadonlyMap<string, number>) {
  const map = new Map(tasks.map((task) => [task.id, task]));
  const context: StateContext = {
    tasks: map,
    manualExecutors: new Set(['manual']),
    defaultIsManual: false,
    coordinatorIdle: false,
    autoEvaluate: true,
    now: NOW,
  };
  const states = new TaskStates().compute(context);
  const columns = boardColumns(map, states, shown, failedUpstream(map.values(), map), taskOrder(map), pending);
  const ids = (name: string) => columns.find((c) => c.column === name)?.rows.map((row) => (row.type === 'card' ? row.id : `# ${row.text}`));
  return { columns, ids, states };
}

describe('the board’s columns (task-state/work-column.ts)', () => {
  it('gives every state exactly one column, blocked with the failures and never with what waits', () => {
    for (const kind of STATE_KINDS) expect(WORK_COLUMNS).toContain(workColumn(kind));
    expect(workColumn('blocked')).toBe('failed');
    expect(workColumn('evaluating')).toBe('running');
    expect(['scheduled', 'paused', 'waiting'].map((kind) => workColumn(kind as never))).toEqual(['waiting', 'waiting', 'waiting']);
    expect(workColumn('abandoned')).toBe('done');
  });

  it('sorts each column as a person reads it, and puts the blocked under the failure that holds them', () => {
    const { ids, columns } = board([
      makeTask({ id: 'base', status: 'done', completed_at: at(300) }),
      makeTask({ id: 'old-fail', status: 'failed', completed_at: at(60) }),
      makeTask({ id: 'new-fail', status: 'failed', completed_at: at(5) }),
      makeTask({ id: 'lone-fail', status: 'failed', completed_at: at(30) }),
      makeTask({ id: 'b1', after: ['old-fail'] }),
      makeTask({ id: 'b2', after: ['new-fail'] }),
      makeTask({ id: 'b3', after: ['b1'] }),
      makeTask({ id: 'r-low', priority: 'low', priority_value: 5 }),
      makeTask({ id: 'r-a' }),
      makeTask({ id: 'r-high', priority: 'high', priority_value: 50 }),
      makeTask({ id: 'r-b' }),
      makeTask({ id: 'run-late', status: 'in-progress', started_at: at(2) }),
      makeTask({ id: 'run-early', status: 'in-progress', started_at: at(20) }),
      makeTask({ id: 'eval', status: 'pending-eval', started_at: at(10) }),
      makeTask({ id: 'w', after: ['run-late'] }),
      makeTask({ id: 'paused', paused: true }),
      makeTask({ id: 'me', executor: 'manual' }),
      makeTask({ id: 'gone', status: 'abandoned', completed_at: at(1) }),
    ]);
    // A failure others wait on is the person's to retry or abandon (shared/needs-you.ts): with what needs them.
    expect(ids('needs-you')).toEqual(['old-fail', 'new-fail', 'me']);
    expect(ids('running')).toEqual(['run-early', 'eval', 'run-late']);
    // The failures nothing waits on, the latest first; then the blocked, the latest failure's first, each group in plan order.
    expect(ids('failed')).toEqual(['lone-fail', '# 3 blocked by failures', 'b2', 'b1', 'b3']);
    // The coordinator's start order: priority, then age.
    expect(ids('ready')).toEqual(['r-high', 'r-a', 'r-b', 'r-low']);
    expect(ids('waiting')).toEqual(['w', 'paused']);
    expect(ids('done')).toEqual(['gone', 'base']);
    const failed = columns.find((c) => c.column === 'failed');
    expect(failed?.counts).toEqual({ failed: 1, blocked: 3 });
    expect(failed?.total).toBe(4);
  });

  it('shows only the filter’s tasks, and a pending priority moves a card before the store has it', () => {
    const tasks = [makeTask({ id: 'a' }), makeTask({ id: 'b' }), makeTask({ id: 'c' })];
    expect(board(tasks, new Set(['a', 'c'])).ids('ready')).toEqual(['a', 'c']);
    expect(board(tasks, null, new Map([['c', 11]])).ids('ready')).toEqual(['c', 'a', 'b']);
  });
});

describe('reordering Ready by priority (priority-order.ts)', () => {
  const column = (...spec: Array<[string, number]>): Ranked[] => spec.map(([id, priority], seq) => ({ id, priority, seq }));
  const apply = (list: Ranked[], changes: Array<{ id: string; to: number }>) =>
    list
      .map((task) => ({ ...task, priority: changes.find((change) => change.id === task.id)?.to ?? task.priority }))
      .sort((a, b) => b.priority - a.priority || a.seq - b.seq)
      .map((task) => task.id);

  it('moves a task to the top with one change: just above the first', () => {
    const list = column(['a', 10], ['b', 10], ['c', 10]);
    const result = reorder(list, 'c', 0);
    expect(result).toEqual({ ok: true, changes: [{ id: 'c', from: 10, to: 11 }] });
    if (result.ok) expect(apply(list, result.changes)).toEqual(['c', 'a', 'b']);
  });

  it('changes nothing for a drop where its priority already puts it', () => {
    expect(reorder(column(['a', 50], ['b', 10]), 'b', 1)).toEqual({ ok: true, changes: [] });
  });

  it('picks a priority between its new neighbours when there is room, the nearest to its own', () => {
    const list = column(['a', 100], ['b', 50], ['c', 10], ['d', 5]);
    const result = reorder(list, 'd', 2);
    expect(result).toEqual({ ok: true, changes: [{ id: 'd', from: 5, to: 11 }] });
    if (result.ok) expect(apply(list, result.changes)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('raises the tasks above, as few as keeps their order, when equal priorities leave no room', () => {
    const list = column(['a', 10], ['b', 10], ['c', 10], ['d', 10], ['e', 10]);
    const result = reorder(list, 'e', 2);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(apply(list, result.changes)).toEqual(['a', 'b', 'e', 'c', 'd']);
    expect(result.changes).toEqual([
      { id: 'e', from: 10, to: 11 },
      { id: 'b', from: 10, to: 11 },
      { id: 'a', from: 10, to: 11 },
    ]);
  });

  it('lowers the tasks below instead when that changes fewer, and keeps every other task in its order', () => {
    const list = column(['a', 10], ['b', 10], ['c', 10], ['d', 10], ['e', 10]);
    const result = reorder(list, 'a', 3);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(apply(list, result.changes)).toEqual(['b', 'c', 'd', 'a', 'e']);
    expect(result.changes).toEqual([
      { id: 'a', from: 10, to: 9 },
      { id: 'e', from: 10, to: 9 },
    ]);
    // Any drop position, any column of ties: the order after the changes is the order asked for.
    for (let from = 0; from < list.length; from++) {
      for (let to = 0; to < list.length; to++) {
        const id = list[from]?.id as string;
        const moved = reorder(list, id, to);
        const wanted = list.filter((task) => task.id !== id).map((task) => task.id);
        wanted.splice(to, 0, id);
        expect(moved.ok && apply(list, moved.changes), `${id} to ${to}`).toEqual(wanted);
      }
    }
  });

  it('says so instead of renumbering a long run of equal priorities', () => {
    const list = column(...Array.from({ length: 2 * MOST_CHANGES + 10 }, (_, i): [string, number] => [`t${i}`, 10]));
    const result = reorder(list, 't0', MOST_CHANGES + 5);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.reason).toMatch(
        /^Placing it there would change the priority of \d+ other tasks; set its priority with Edit instead\.$/,
      );
  });

  it('never goes below 0 or above the highest priority', () => {
    const low = column(['a', 0], ['b', 0]);
    const result = reorder(low, 'a', 1);
    expect(result.ok && apply(low, result.changes)).toEqual(['b', 'a']);
    if (result.ok) for (const change of result.changes) expect(change.to).toBeGreaterThanOrEqual(0);
  });
});

describe('moving on the board with the keyboard (board-moves.ts)', () => {
  const rows = [
    { type: 'card' as const, id: 'f1' },
    { type: 'card' as const, id: 'f2' },
    { type: 'heading' as const, text: '2 blocked by them' },
    { type: 'card' as const, id: 'b1' },
    { type: 'card' as const, id: 'b2' },
  ];

  it('passes over headings, stops at the ends, and finds the first and last cards', () => {
    expect(cardRowFrom(rows, 1, 1)).toBe(3);
    expect(cardRowFrom(rows, 3, -1)).toBe(1);
    expect(cardRowFrom(rows, 4, 1)).toBe(4);
    expect(cardRowFrom(rows, 0, -1)).toBe(0);
    expect(cardRowFrom(rows, 0, 10)).toBe(4);
    expect(cardRowFrom(rows, 2, 0)).toBe(3);
    expect(edgeCardRow(rows, 'first')).toBe(0);
    expect(edgeCardRow(rows, 'last')).toBe(4);
    expect(cardRowFrom([{ type: 'heading', text: 'x' }], 0, 1)).toBeNull();
  });

  it('goes left and right to the nearest column with a card, passing over empty ones', () => {
    const columns = [[rows[0]], [], [{ type: 'heading' as const, text: 'x' }], [rows[3]]] as const;
    expect(columnWithCards(columns as never, 0, 1)).toBe(3);
    expect(columnWithCards(columns as never, 3, -1)).toBe(0);
    expect(columnWithCards(columns as never, 3, 1)).toBeNull();
  });
});

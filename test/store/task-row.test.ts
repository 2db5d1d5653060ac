import { afterEach, describe, expect, it } from 'vitest';
import { TASK_ROW_BY_ID } from '../../src/core/store/rows';
import { findTaskRow } from '../../src/core/store/task-reads';
import { tempStore } from '../helpers/temp-store';

let env: ReturnType<typeof tempStore>;
afterEach(() => env?.dispose());

describe('a task row by id', () => {
  it('is the row SELECT * gives, every column under its own name, for the newest schema', () => {
    env = tempStore();
    const { store } = env;
    store.tasks.add({ title: 'dep', id: 'dep' }, 'test');
    store.tasks.add({ title: 'the task', id: 't', description: 'd', after: ['dep'], model: 'm', executor: 'shell', exec: 'x', repo: 'r', role: 'o', maxRetries: 4 }, 'test');
    // Every column a value of its own (and of its own kind), so two swapped columns cannot match.
    const text = ['assigned', 'agent', 'started_at', 'completed_at', 'failure_reason', 'evaluation', 'session_id', 'not_before', 'schedule'];
    const numbers = ['retry_count', 'rescue_count', 'eval_attempts', 'cost_usd', 'tokens_in', 'tokens_out', 'paused'];
    const { db } = store.core;
    db.prepare(`UPDATE tasks SET ${text.map((c) => `${c} = '${c}-value'`).join(', ')}, ${numbers.map((c, i) => `${c} = ${i + 11}`).join(', ')},
      artifacts = '["a"]', results = '{"k":1}', extra = '{"e":2}' WHERE id = 't'`).run();
    const star = db.prepare('SELECT * FROM tasks WHERE id = ?').get('t') as Record<string, unknown>;
    const row = findTaskRow(store.core, 't');
    expect(row).toEqual(star);
    // Same names in both (a column a migration adds must be added to the read, or this fails).
    expect(Object.keys(row ?? {}).sort()).toEqual(db.prepare(TASK_ROW_BY_ID).columns().map((c) => c.name).sort());
    expect(Object.keys(star).sort()).toEqual(Object.keys(row ?? {}).sort());
    expect(findTaskRow(store.core, 'missing')).toBeUndefined();
  });
});

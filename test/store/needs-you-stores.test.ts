import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * What a person is to move on (needs-you.ts), as `wg list --needs-you` and `wg show` read it from the store
 * (ops/needs-you-read.ts: dependents of a failed task, an upstream `.evaluate-X`, the store's readiness of a manual
 * task), on each store. test/commands/needs-you.test.ts runs the commands themselves on SQLite.
 */

describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  it('finds each kind by the store’s own rules', async () => {
    const env = await newStore();
    const line = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'task', title: String(fields.id), ...fields });
    await env.store.importJsonl(
      [
        line({ id: 'ask', status: 'waiting', wait_condition: { mode: 'any', conditions: [{ type: 'human-input' }] } }),
        line({ id: 'review', status: 'pending-validation', tags: ['human-review'] }),
        line({ id: 'judged', status: 'pending-eval' }),
        line({ id: 'judged-upstream', status: 'pending-eval' }),
        line({ id: '.evaluate-judged-upstream', status: 'open', after: ['judged-upstream'] }),
        line({ id: 'notes', status: 'open', executor: 'manual' }),
        line({ id: 'later-notes', status: 'open', executor: 'manual', after: ['notes'] }),
        line({ id: 'someday-notes', status: 'open', executor: 'manual', not_before: '2099-01-01T00:00:00Z' }),
        line({ id: 'broken', status: 'failed' }),
        line({ id: 'ship', status: 'open', after: ['broken'] }),
        line({ id: 'test', status: 'open', after: ['broken'] }),
        line({ id: 'shipped', status: 'done', after: ['broken'] }),
        line({ id: 'dead-end', status: 'failed' }),
        // Upstream evaluates failed work too: its `.evaluate-X` is not a task waiting on X.
        line({ id: '.evaluate-dead-end', status: 'open', after: ['dead-end'] }),
      ].join('\n'),
    );
    const ctx = opContextOn(env);
    const listed = await dispatch('task:list', { needsYou: true }, ctx);
    expect(listed.map((t) => [t.id, t.needs_you?.label])).toEqual([
      ['ask', 'waits for your reply'],
      ['review', 'awaits your approval'],
      ['judged', 'no evaluation will run'],
      ['notes', 'yours to do'],
      ['broken', 'failed; 2 tasks wait on it'],
    ]);
    expect((await dispatch('task:show', { id: 'later-notes' }, ctx)).needs_you).toBeUndefined();
    expect((await dispatch('task:show', { id: 'notes' }, ctx)).needs_you?.kind).toBe('do');
  });
});

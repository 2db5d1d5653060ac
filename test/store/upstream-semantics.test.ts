import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers/temp-store';

/*
 * Issue 25 item 2: everyday semantics as upstream workgraph's code has them, each ported from the
 * upstream test named in its comment (graphwork/workgraph).
 */

let envs: Array<ReturnType<typeof tempStore>> = [];
afterEach(() => {
  for (const env of envs) env.dispose();
  envs = [];
});
function fresh(now = new Date('2026-06-01T12:00:00Z')) {
  const env = tempStore(now);
  envs.push(env);
  return env;
}
const row = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'task', status: 'open', title: 'T', ...fields });

describe('priority as upstream reads it (graph.rs deserialize_priority)', () => {
  // upstream: src/graph.rs test_priority_serde_migration_from_named_enum
  it('reads named levels, numbers, and a missing priority as the default', () => {
    const { store } = fresh();
    store.importJsonl([
      row({ id: 't1', priority: 'critical' }), row({ id: 't2', priority: 'high' }), row({ id: 't3', priority: 'normal' }),
      row({ id: 't4', priority: 'low' }), row({ id: 't5', priority: 'idle' }), row({ id: 't6', priority: 42 }), row({ id: 't7' }),
    ].join('\n'));
    expect(['t1', 't2', 't3', 't4', 't5', 't6', 't7'].map((id) => store.get(id).priority_value)).toEqual([100, 50, 10, 5, 0, 42, 10]);
  });

  // upstream: tests/smoke/scenarios/priority_int_and_string_deserialize.sh
  it('reads a map-shaped priority, a fraction, a negative number or an unknown name as the default, not as an error', () => {
    const { store } = fresh();
    const imported = store.importJsonl([
      row({ id: 'int-prio', priority: 10 }), row({ id: 'str-prio', priority: 'high' }),
      row({ id: 'map-prio', priority: { name: 'normal', value: 50 } }), row({ id: 'frac-prio', priority: 2.5 }),
      row({ id: 'neg-prio', priority: -3 }), row({ id: 'odd-prio', priority: 'urgent' }), row({ id: 'bool-prio', priority: true }),
    ].join('\n'));
    expect(imported.imported).toBe(7);
    expect(store.list().map((t) => [t.id, t.priority_value])).toEqual([
      ['int-prio', 10], ['str-prio', 50], ['map-prio', 10], ['frac-prio', 10], ['neg-prio', 10], ['odd-prio', 10], ['bool-prio', 10],
    ]);
  });
});

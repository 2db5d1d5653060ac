import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/** Each of query/functions.ts's functions answers the same on both databases (this file runs on each). */
describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  const one = async <T>(expression: (fn: typeof env.store.core.fn) => unknown): Promise<T> => {
    const core = env.store.core;
    const row = await core.get<{ v: T }>(sql<{ v: T }>`SELECT ${expression(core.fn)} AS v`);
    return (row as { v: T }).v;
  };

  it('reads, sets and removes keys of JSON kept as text', async () => {
    env = await tempStore(undefined, kind);
    const json = sql.val('{"a":"x","n":3,"o":{"k":1}}');
    expect(await one((fn) => fn.jsonText(json, 'a'))).toBe('x');
    expect(await one((fn) => fn.jsonText(json, 'missing'))).toBeNull();
    expect(JSON.parse(await one<string>((fn) => fn.jsonSetText(json, 'a', 'y')))).toEqual({ a: 'y', n: 3, o: { k: 1 } });
    expect(JSON.parse(await one<string>((fn) => fn.jsonSetJson(json, 'b', '[1,"2"]')))).toMatchObject({ b: [1, '2'] });
    expect(JSON.parse(await one<string>((fn) => fn.jsonRemove(json, 'a', 'o')))).toEqual({ n: 3 });
  });

  it('tests membership of a list given as one parameter, however long', async () => {
    env = await tempStore(undefined, kind);
    for (const [list, inside] of [
      [[], 0],
      [['a'], 1],
      [['b', 'a', 'c'], 1],
      [['b', 'c'], 0],
    ] as const) {
      expect(Number(await one((fn) => sql`CASE WHEN ${fn.inList(sql.val('a'), list)} THEN 1 ELSE 0 END`))).toBe(inside);
      expect(Number(await one((fn) => sql`CASE WHEN ${fn.notInList(sql.val('a'), list)} THEN 1 ELSE 0 END`))).toBe(1 - inside);
    }
    const rows = await env.store.core.all<{ value: string }>(sql`SELECT value FROM ${env.store.core.fn.jsonElements('["x","y"]')}`);
    expect(rows.map((row) => row.value)).toEqual(['x', 'y']);
  });

  it('reads times and numbers as SQLite does, NULL and 0 for what is not one', async () => {
    env = await tempStore(undefined, kind);
    expect(await one((fn) => fn.isoTime(sql.val('2026-03-01T12:00:00+01:00')))).toBe('2026-03-01T11:00:00.000Z');
    expect(await one((fn) => fn.isoTime(sql.val('soon')))).toBeNull();
    expect(Number(await one((fn) => fn.integer(sql.val('12abc'))))).toBe(12);
    expect(Number(await one((fn) => fn.integer(sql.val('none'))))).toBe(0);
    expect(Number(await one((fn) => fn.greatest(sql.val(2), sql.val(5), sql.val(3))))).toBe(5);
    expect(Number(await one((fn) => fn.least(sql.val(2), sql.val(5))))).toBe(2);
    expect(Number(await one((fn) => fn.position(sql.val('workgraph'), 'graph')))).toBe(5);
    expect(Number(await one((fn) => fn.position(sql.val('workgraph'), 'tree')))).toBe(0);
    expect(Number(await one((fn) => sql`CASE WHEN ${fn.like(sql.val('Workgraph'), 'work%')} THEN 1 ELSE 0 END`))).toBe(1);
  });

  it("counts time by the store's clock", async () => {
    env = await tempStore(undefined, kind);
    const later = await one<string>((fn) => fn.later(60_000));
    expect(Date.parse(later) - Date.now()).toBeGreaterThan(50_000);
    const until = Number(await one((fn) => fn.msUntil(sql.val(later))));
    expect(until).toBeGreaterThan(50_000);
    expect(until).toBeLessThanOrEqual(60_000);
  });
});

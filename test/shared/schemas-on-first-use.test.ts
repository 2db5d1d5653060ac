import { describe, expect, it, vi } from 'vitest';

/*
 * Issue 30: a `wg` start loads these modules whatever its command, so a schema they build as they load
 * costs every start. Schemas are made through `z` (z.string(), z.object(), ...), so reading nothing
 * from `z` while they load means they built none.
 */
const zReads = vi.hoisted(() => ({ count: 0 }));
vi.mock('zod', async (importOriginal) => {
  const actual = await importOriginal<typeof import('zod')>();
  const z = new Proxy(actual.z, {
    get(target, key, receiver) {
      zReads.count++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { ...actual, z };
});

describe('zod schemas are built on first use, not as their module loads', () => {
  it('loading the op registry, graph.jsonl, settings, executors, wait conditions and decided passes builds none', async () => {
    await import('../../src/shared/ops/registry');
    await import('../../src/core/store/jsonl-format');
    await import('../../src/core/config/settings');
    await import('../../src/core/config/executors');
    await import('../../src/shared/wait-condition');
    await import('../../src/core/agency/evaluation/decided-pass');
    expect(zReads.count).toBe(0);
  });

  it('builds a schema when it is first used, and only then (so the count above sees schemas being built)', async () => {
    const { parseLine } = await import('../../src/core/store/jsonl-format');
    const before = zReads.count;
    expect(parseLine('{"id":"a","title":"A"}', 1).kind).toBe('task');
    const built = zReads.count;
    expect(built).toBeGreaterThan(before);
    parseLine('{"id":"b","title":"B"}', 2);
    expect(zReads.count).toBe(built);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { op } from '../../../src/shared/ops/define';
import { ops } from '../../../src/shared/ops/registry';

describe('an operation is defined once, its input schema built on first use', () => {
  it('builds the schema the first time it is read, and only once', () => {
    let builds = 0;
    const def = op({
      kind: 'query',
      scope: 'store',
      summary: 'A test op',
      input: () => {
        builds++;
        return z.object({ id: z.string() });
      },
    }).returns<string>();
    expect(builds).toBe(0);
    expect(def.input.safeParse({ id: 'a' }).success).toBe(true);
    expect(def.input).toBe(def.input);
    expect(builds).toBe(1);
  });

  it('keeps every field of the registry: kind, scope, summary, cli and a working input', () => {
    const add = ops['task:add'];
    expect(add.kind).toBe('mutation');
    expect(add.scope).toBe('store');
    expect(add.cli?.command).toBe('add');
    expect(add.input.safeParse({ title: '' }).success).toBe(false);
    expect(add.input.safeParse({ title: 'T' }).success).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { createClient, type Transport } from '../../src/shared/client';

describe('createClient', () => {
  it('sends each op by its name, reusing one method per name', async () => {
    const calls: Array<[string, unknown]> = [];
    const transport = (async (name: string, input: unknown) => {
      calls.push([name, input]);
      return { rev: 1, tasks: [], agents: [] };
    }) as Transport;
    const client = createClient(transport);
    await client['graph:snapshot']({ since: 3 });
    expect(calls).toEqual([['graph:snapshot', { since: 3 }]]);
    expect(client['task:add']).toBe(client['task:add']);
  });

  it('is not mistaken for a promise', async () => {
    const client = createClient((async () => null) as Transport);
    expect('then' in client && (client as { then?: unknown }).then).toBeFalsy();
    expect(await Promise.resolve(client)).toBe(client);
  });
});

import { describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../../src/shared/ops/registry';
import { WgError, notFound } from '../../../src/shared/errors';
import { toApiError, toIpcReply } from '../../../src/main/ipc/ipc-errors';
import { unwrapReply } from '../../../src/preload/ipc-contract';
import { OP_CHANNELS } from '../../../src/preload/op-channels';

describe('IPC channels', () => {
  it('are exactly the operation names, each once', () => {
    expect(new Set(OP_CHANNELS).size).toBe(OP_CHANNELS.length);
    expect([...OP_CHANNELS].sort()).toEqual([...OP_NAMES].sort());
  });
});

describe('errors across IPC', () => {
  it('pass a WgError message through unchanged, with its code', () => {
    expect(toApiError(notFound('task', 'build-api'))).toEqual({ error: "task 'build-api' not found", code: 'not_found' });
    expect(toApiError(new WgError('cycle', 'a -> b -> a'))).toEqual({ error: 'a -> b -> a', code: 'cycle' });
  });

  it('recognise a WgError from another copy of the class', () => {
    const foreign = Object.assign(new Error('store is locked'), { name: 'WgError', code: 'conflict' });
    expect(toApiError(foreign)).toEqual({ error: 'store is locked', code: 'conflict' });
  });

  it('report anything else as internal', () => {
    expect(toApiError(new TypeError('x is undefined'))).toEqual({ error: 'x is undefined', code: 'internal' });
    expect(toApiError('boom')).toEqual({ error: 'boom', code: 'internal' });
  });

  it('round-trip: main packs, preload unpacks to the same value or the same { error, code }', async () => {
    const ok = await toIpcReply(async () => ({ id: 't1' }));
    expect(ok).toEqual({ ok: true, value: { id: 't1' } });
    await expect(unwrapReply(ok)).resolves.toEqual({ id: 't1' });

    const failed = await toIpcReply(async () => {
      throw new WgError('invalid', 'title: title is empty');
    });
    expect(failed).toEqual({ ok: false, error: { error: 'title: title is empty', code: 'invalid' } });
    await expect(unwrapReply(failed)).rejects.toEqual({ error: 'title: title is empty', code: 'invalid' });
  });

  it('reject a malformed reply instead of resolving with it', async () => {
    const malformed: unknown = 'nonsense';
    await expect(unwrapReply(malformed as never)).rejects.toEqual({ error: 'unexpected reply from the app', code: 'internal' });
  });
});

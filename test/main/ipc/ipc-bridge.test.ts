// The main side of IPC against a stand-in for 'electron': one handler per op, and what each answers.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OP_NAMES, type OpName } from '../../../src/shared/ops/registry';
import { WgError } from '../../../src/shared/errors';
import type { ProjectHost } from '../../../src/main/projects/project-host';

type Handler = (event: unknown, input: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({ ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) } }));
vi.mock('../../../src/main/logging', () => ({ log: { warn: vi.fn(), error: vi.fn(), info: vi.fn() } }));

const dispatch = vi.fn<(name: OpName, input: unknown, actor?: string) => Promise<unknown>>();
let host: ProjectHost | null = null;
const afterOp = vi.fn<(name: OpName) => void>();
const fromApp = { senderFrame: { url: 'app://workgraph/index.html' } };

beforeAll(async () => {
  const { registerOpHandlers } = await import('../../../src/main/ipc/ipc-bridge');
  registerOpHandlers({ currentHost: () => host, appOrigins: ['app://workgraph'], afterOp });
});

function call(name: string, input: unknown, event: unknown = fromApp): Promise<unknown> {
  const handler = handlers.get(name);
  if (!handler) throw new Error(`no handler for ${name}`);
  return handler(event, input);
}

describe('IPC handlers', () => {
  it('exist for exactly the operation names', () => {
    expect([...handlers.keys()].sort()).toEqual([...OP_NAMES].sort());
  });

  it('answer "no project" until one is open', async () => {
    host = null;
    await expect(call('task:list', {})).resolves.toEqual({
      ok: false,
      error: { error: 'No project is open: use File › Open Folder…', code: 'unavailable' },
    });
  });

  it('dispatch to the host as the app and return the result', async () => {
    host = { dispatch } as unknown as ProjectHost;
    dispatch.mockResolvedValueOnce([{ id: 't1' }]);
    await expect(call('task:list', { status: 'open' })).resolves.toEqual({ ok: true, value: [{ id: 't1' }] });
    expect(dispatch).toHaveBeenLastCalledWith('task:list', { status: 'open' }, 'app');
    expect(afterOp).toHaveBeenLastCalledWith('task:list');
  });

  it('carry a WgError message through unchanged', async () => {
    host = { dispatch } as unknown as ProjectHost;
    dispatch.mockRejectedValueOnce(new WgError('not_found', "no task 'nope'"));
    await expect(call('task:show', { id: 'nope' })).resolves.toEqual({
      ok: false,
      error: { error: "no task 'nope'", code: 'not_found' },
    });
  });

  it('refuse calls from pages that are not the app', async () => {
    host = { dispatch } as unknown as ProjectHost;
    dispatch.mockClear();
    for (const event of [{ senderFrame: { url: 'https://evil.example/' } }, { senderFrame: null }]) {
      await expect(call('task:add', { title: 'x' }, event)).resolves.toMatchObject({
        ok: false,
        error: { code: 'unauthorized' },
      });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });
});

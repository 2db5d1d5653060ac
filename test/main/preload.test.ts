// The preload against a stand-in for 'electron' (the binary is not installed here): what the page gets.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OP_NAMES } from '../../src/shared/ops/registry';

type Listener = (event: unknown, payload: unknown) => void;
const exposed = new Map<string, unknown>();
const listeners = new Map<string, Set<Listener>>();
const invoke = vi.fn<(channel: string, input: unknown) => Promise<unknown>>();
const sent: Array<[string, unknown]> = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => invoke(channel, input),
    send: (channel: string, payload: unknown) => sent.push([channel, payload]),
    on: (channel: string, listener: Listener) => {
      const set = listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
  },
}));

type OpFunction = (input?: unknown) => Promise<unknown>;
type Subscribe = (listener: (payload: unknown) => void) => () => void;
let wg: Record<string, OpFunction> = {};
let wgEvents: Record<string, Subscribe> = {};

beforeAll(async () => {
  await import('../../src/preload/index');
  wg = exposed.get('wg') as Record<string, OpFunction>;
  wgEvents = exposed.get('wgEvents') as Record<string, Subscribe>;
});

describe('preload', () => {
  it('exposes window.wg, window.wgEvents and window.wgApp, nothing else', () => {
    expect([...exposed.keys()].sort()).toEqual(['wg', 'wgApp', 'wgEvents']);
    expect(Object.keys(wgEvents).sort()).toEqual(['onChange', 'onOutput', 'watchOutput']);
  });

  it("gives the app's own operations on its open projects, and their event", async () => {
    const wgApp = exposed.get('wgApp') as Record<string, OpFunction | Subscribe>;
    expect(Object.keys(wgApp).sort()).toEqual([
      'app:closeProject',
      'app:connect',
      'app:openFolder',
      'app:pauseProject',
      'app:projects',
      'app:switchProject',
      'onProjects',
      'onShowTask',
    ]);
    invoke.mockResolvedValueOnce({ ok: true, value: { projects: [] } });
    await expect((wgApp['app:switchProject'] as OpFunction)({ folder: '/p' })).resolves.toEqual({ projects: [] });
    expect(invoke).toHaveBeenLastCalledWith('app:switchProject', { folder: '/p' });
    const seen: unknown[] = [];
    const unsubscribe = (wgApp.onProjects as Subscribe)((payload) => seen.push(payload));
    for (const listener of listeners.get('events:projects') ?? []) listener({}, { projects: [] });
    unsubscribe();
    expect(seen).toEqual([{ projects: [] }]);
  });

  it('gives one function per operation and no generic invoke', () => {
    expect(Object.keys(wg).sort()).toEqual([...OP_NAMES].sort());
    expect(Object.values(wg).every((fn) => typeof fn === 'function')).toBe(true);
  });

  it('calls the channel named as the operation and resolves with the result', async () => {
    invoke.mockResolvedValueOnce({ ok: true, value: { id: 'build-api' } });
    await expect(wg['task:add']?.({ title: 'Build API' })).resolves.toEqual({ id: 'build-api' });
    expect(invoke).toHaveBeenLastCalledWith('task:add', { title: 'Build API' });
  });

  it('sends {} for operations called without input', async () => {
    invoke.mockResolvedValueOnce({ ok: true, value: [] });
    await wg['task:ready']?.();
    expect(invoke).toHaveBeenLastCalledWith('task:ready', {});
  });

  it('rejects with the { error, code } main sent, message unchanged', async () => {
    invoke.mockResolvedValueOnce({ ok: false, error: { error: "adding 'a' -> 'b' would close a cycle: a -> b -> a", code: 'cycle' } });
    await expect(wg['task:addDep']?.({ task: 'a', dependency: 'b' })).rejects.toEqual({
      error: "adding 'a' -> 'b' would close a cycle: a -> b -> a",
      code: 'cycle',
    });
  });

  it('delivers event payloads (never the IPC event) until unsubscribed', () => {
    const seen: unknown[] = [];
    const unsubscribe = wgEvents.onChange?.((payload) => seen.push(payload));
    for (const listener of listeners.get('events:change') ?? []) listener({ sender: 'ipc internals' }, { rev: 7 });
    unsubscribe?.();
    for (const listener of listeners.get('events:change') ?? []) listener({}, { rev: 8 });
    expect(seen).toEqual([{ rev: 7 }]);
    expect(listeners.get('events:change')?.size).toBe(0);
  });

  it('subscribes to output events on their own channel', () => {
    const seen: unknown[] = [];
    const unsubscribe = wgEvents.onOutput?.((payload) => seen.push(payload));
    for (const listener of listeners.get('events:output') ?? []) listener({}, { agent_id: 'agent-1', total: 42 });
    unsubscribe?.();
    expect(seen).toEqual([{ agent_id: 'agent-1', total: 42 }]);
  });

  it("watches one run's output: main is told to follow it, then to let go", () => {
    const seen: unknown[] = [];
    const watch = wgEvents.watchOutput as unknown as (agent: string, listener: (payload: unknown) => void) => () => void;
    const unwatch = watch('agent-3', (payload) => seen.push(payload));
    expect(sent.at(-1)).toEqual(['events:watch-output', 'agent-3']);
    for (const listener of listeners.get('events:output') ?? []) {
      listener({}, { agent_id: 'agent-9', total: 1 });
      listener({}, { agent_id: 'agent-3', total: 5, away: 'gone' });
    }
    unwatch();
    expect(sent.at(-1)).toEqual(['events:unwatch-output', 'agent-3']);
    expect(seen).toEqual([{ agent_id: 'agent-3', total: 5, away: 'gone' }]);
  });
});

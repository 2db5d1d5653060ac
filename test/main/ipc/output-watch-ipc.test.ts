// The main side of a page's output watches against a stand-in for 'electron' (the binary is not installed here).
import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProjectHost } from '../../../src/main/projects/project-host';

type Listener = (event: unknown, payload: unknown) => void;
const channels = new Map<string, Listener>();
vi.mock('electron', () => ({ ipcMain: { on: (channel: string, listener: Listener) => channels.set(channel, listener) } }));
vi.mock('../../../src/main/logging', () => ({ log: { warn: vi.fn(), error: vi.fn(), info: vi.fn() } }));

/** What the open project's host was asked to follow, and let go of. */
const follows: string[] = [];
const host = {
  watchOutput: (agent: string) => {
    follows.push(`+${agent}`);
    return () => follows.push(`-${agent}`);
  },
} as unknown as ProjectHost;

beforeAll(async () => {
  const { registerOutputWatches } = await import('../../../src/main/ipc/output-watch-ipc');
  registerOutputWatches(() => host, ['app://workgraph']);
});

const page = () => new EventEmitter();
const from = (sender: EventEmitter, url = 'app://workgraph/index.html') => ({ sender, senderFrame: { url } });
const watch = (event: unknown, agent: string) => channels.get('events:watch-output')?.(event, agent);
/** The handlers answer asynchronously: what a page's event started is done a turn of the event loop later. */
const turnOver = () => new Promise((resolve) => setImmediate(resolve));
const unwatch = (event: unknown, agent: string) => channels.get('events:unwatch-output')?.(event, agent);

describe("a page's output watches", () => {
  it('follow a run once however many views watch it, and let go when the last stops', async () => {
    follows.length = 0;
    const one = page();
    await watch(from(one), 'agent-1');
    await watch(from(one), 'agent-1');
    await unwatch(from(one), 'agent-1');
    expect(follows).toEqual(['+agent-1']);
    await unwatch(from(one), 'agent-1');
    expect(follows).toEqual(['+agent-1', '-agent-1']);
    await unwatch(from(one), 'agent-1');
    expect(follows).toEqual(['+agent-1', '-agent-1']);
  });

  it('are let go when the page closes or loads again', async () => {
    follows.length = 0;
    const one = page();
    await watch(from(one), 'agent-2');
    await watch(from(one), 'agent-3');
    one.emit('did-navigate');
    await turnOver();
    expect(follows).toEqual(['+agent-2', '+agent-3', '-agent-2', '-agent-3']);
    await watch(from(one), 'agent-4');
    one.emit('destroyed');
    await turnOver();
    expect(follows.slice(4)).toEqual(['+agent-4', '-agent-4']);
  });

  it("are refused from a page that is not the app's", async () => {
    follows.length = 0;
    await watch(from(page(), 'https://example.com/'), 'agent-5');
    expect(follows).toEqual([]);
  });
});

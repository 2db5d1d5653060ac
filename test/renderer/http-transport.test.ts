// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ConnectionWatch, STREAM_GRACE_MS } from '../../src/renderer/api/connection';
import { createHttpTransport } from '../../src/renderer/api/http-transport';
import { errorMessage } from '../../src/renderer/api/op-error';
import { createSseEvents, REOPEN_MS } from '../../src/renderer/api/sse-events';

describe('HTTP transport', () => {
  it('posts the input to /api/op/<name> with the bearer token', async () => {
    const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), init });
      return new Response(JSON.stringify({ id: 'x' }), { status: 200 });
    };
    const transport = createHttpTransport({ baseUrl: 'http://d', token: 's3cret', fetch });
    const result = await transport('task:show', { id: 'x' });
    expect(result).toEqual({ id: 'x' });
    expect(seen[0]?.url).toBe('http://d/api/op/task:show');
    expect(seen[0]?.init?.method).toBe('POST');
    expect(new Headers(seen[0]?.init?.headers).get('Authorization')).toBe('Bearer s3cret');
    expect(seen[0]?.init?.body).toBe('{"id":"x"}');
  });

  it("rejects with the daemon's error text verbatim", async () => {
    const fetch = async () =>
      new Response(JSON.stringify({ error: 'dependency would create a cycle: a -> b -> a', code: 'cycle' }), { status: 409 });
    const transport = createHttpTransport({ baseUrl: '', token: 't', fetch });
    const failure = await transport('task:addDep', { task: 'a', dependency: 'b' }).catch((e: unknown) => e);
    expect(errorMessage(failure)).toBe('dependency would create a cycle: a -> b -> a');
  });

  // Review finding H1: "cannot reach the daemon: Failed to fetch" named fetch's internals and a word the window never uses.
  it('says in its own words that the coordinator is not answering when a request cannot reach it, and tells the connection', async () => {
    const connection = new ConnectionWatch(() => 5000);
    let up = false;
    const fetch = async () => {
      if (up) return new Response('{}', { status: 200 });
      throw new TypeError('Failed to fetch');
    };
    const transport = createHttpTransport({ baseUrl: '', token: 't', fetch, connection });
    const failure = await transport('task:retry', { id: 'a' }).catch((e: unknown) => e);
    expect(errorMessage(failure)).toBe(
      'Not done: the coordinator is not answering. The window reconnects by itself; try again once it is back.',
    );
    expect(connection.getState()).toEqual({ reachable: false, lostAt: 5000 });
    up = true;
    await transport('task:retry', { id: 'a' });
    expect(connection.getState()).toEqual({ reachable: true, lostAt: null });
  });

  it('understands the plain {error, code} rejections of the Electron preload', () => {
    expect(errorMessage({ error: "no task 'x'", code: 'not_found' })).toBe("no task 'x'");
    expect(errorMessage(new Error("Error invoking remote method 'task:add': WgError: title is empty"))).toBe('title is empty');
  });
});

describe('server-sent events', () => {
  it('opens one EventSource with the token and parses change and output events', () => {
    const opened: string[] = [];
    const target = new EventTarget() as EventTarget & { close: () => void };
    let closed = false;
    target.close = () => {
      closed = true;
    };
    const events = createSseEvents('', 'tok en', (url) => {
      opened.push(url);
      return target as unknown as EventSource;
    });
    const changes: number[] = [];
    const outputs: string[] = [];
    const stopChange = events.onChange((e) => changes.push(e.rev));
    const stopOutput = events.onOutput((e) => outputs.push(`${e.agent_id}:${e.total}`));
    target.dispatchEvent(new MessageEvent('change', { data: '{"rev":7}' }));
    target.dispatchEvent(new MessageEvent('output', { data: '{"agent_id":"a1","total":12}' }));
    target.dispatchEvent(new MessageEvent('change', { data: 'not json' }));
    expect(opened).toEqual(['/api/events?token=tok%20en']);
    expect(changes).toEqual([7]);
    expect(outputs).toEqual(['a1:12']);
    stopChange();
    expect(closed).toBe(false);
    stopOutput();
    expect(closed).toBe(true);
  });

  it("watches one run on a stream of its own, closed when the window stops showing it; the owner's line passes through", () => {
    const opened: string[] = [];
    const target = new EventTarget() as EventTarget & { close: () => void };
    let closed = false;
    target.close = () => {
      closed = true;
    };
    const events = createSseEvents('', 'tok', (url) => {
      opened.push(url);
      return target as unknown as EventSource;
    });
    const seen: string[] = [];
    const stop = events.watchOutput('agent-3', (e) => seen.push(`${e.total}:${e.away ?? ''}`));
    target.dispatchEvent(new MessageEvent('output', { data: '{"agent_id":"agent-3","total":4}' }));
    target.dispatchEvent(new MessageEvent('output', { data: '{"agent_id":"agent-3","total":4,"away":"gone"}' }));
    target.dispatchEvent(new MessageEvent('output', { data: '{"agent_id":"agent-9","total":1}' }));
    expect(opened).toEqual(['/api/events?watch=agent-3&token=tok']);
    expect(seen).toEqual(['4:', '4:gone']);
    stop();
    expect(closed).toBe(true);
  });

  it('tells a broken stream that stays broken past its grace, and its reopening; reopens one the daemon refused', () => {
    vi.useFakeTimers();
    try {
      const sources: Array<EventTarget & { readyState: number; close: () => void }> = [];
      const connection = new ConnectionWatch(() => 1000);
      const events = createSseEvents(
        '',
        'tok',
        () => {
          const source = Object.assign(new EventTarget(), { readyState: 0, close: () => undefined });
          sources.push(source);
          return source as unknown as EventSource;
        },
        connection,
      );
      const stop = events.onChange(() => undefined);
      const first = sources[0];
      if (!first) throw new Error('no stream opened');
      // A drop it reconnects from within its grace is not told.
      first.dispatchEvent(new Event('error'));
      first.dispatchEvent(new Event('open'));
      vi.advanceTimersByTime(STREAM_GRACE_MS + 1);
      expect(connection.getState().reachable).toBe(true);
      // One that stays broken is, as of when it broke.
      first.dispatchEvent(new Event('error'));
      vi.advanceTimersByTime(STREAM_GRACE_MS + 1);
      expect(connection.getState()).toEqual({ reachable: false, lostAt: 1000 });
      // Refused (EventSource gives up for good): opened again here.
      first.readyState = 2;
      first.dispatchEvent(new Event('error'));
      vi.advanceTimersByTime(REOPEN_MS + 1);
      expect(sources).toHaveLength(2);
      sources[1]?.dispatchEvent(new Event('open'));
      expect(connection.getState()).toEqual({ reachable: true, lostAt: null });
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

import { sqlText } from '../helpers/sql-text';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OutputFollows } from '../../src/core/peers/output-follows';
import { PEER_FOLLOW_PREFIX } from '../../src/core/peers/output-key';
import { serveOwnedFollow } from '../../src/core/peers/owned-follow';
import { followPeerOutput } from '../../src/core/peers/peer-follow';
import { newRun } from '../../src/core/store/agent-records';
import type { Store } from '../../src/core/store/store';
import type { OutputEvent } from '../../src/shared/api-contract';
import { ManualClock } from '../helpers/manual-clock';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';
import { until } from '../helpers/until';

/*
 * A run another coordinator of the team owns, followed there (src/core/peers/): the owner's answer and the
 * follower's, each on an HTTP server of its own in this process, over one project's store.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A project whose run agent-1 works for task far, started by the coordinator owner-a. */
  async function project(): Promise<{ store: Store; runsDir: string }> {
    const t = await tempStore(undefined, kind);
    cleanups.push(() => t.dispose());
    const { store } = t;
    await store.tasks.add({ title: 'far', id: 'far', exec: 'true' }, 'test');
    store.agents.coordinatorId = 'owner-a';
    await store.core.write(async (rev) => {
      const run = { task_id: 'far', executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null };
      await store.agents.insert(newRun('agent-1', run, store.core.nowIso(), rev), null);
      await sqlText(store.core, "UPDATE tasks SET status = 'in-progress', assigned = 'agent-1' WHERE id = 'far'").run();
    });
    store.agents.coordinatorId = null;
    return { store, runsDir: join(t.dir, 'runs') };
  }

  async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  /**
   * Coordinator `me` of the project, answering follows of its runs as the coordinator's API does, and named in the
   * project's coordinators table with its address and output key.
   */
  async function owner(store: Store, runsDir: string, me: string, keepalive?: { keepaliveMs: number; clock: ManualClock }) {
    const outputs = new Set<(event: OutputEvent) => void>();
    const changes = new Set<() => void>();
    const { url } = await listen(async (req, res) => {
      const agent = decodeURIComponent((req.url ?? '').slice(PEER_FOLLOW_PREFIX.length));
      try {
        await serveOwnedFollow(
          {
            store,
            paths: { runsDir },
            me,
            onOutput: (listener) => {
              outputs.add(listener);
              return () => outputs.delete(listener);
            },
            onChange: (listener) => {
              changes.add(listener);
              return () => changes.delete(listener);
            },
            ...keepalive,
          },
          agent,
          res,
        );
      } catch {
        res.writeHead(404).end();
      }
    });
    await store.core.write(() =>
      sqlText(
        store.core,
        `INSERT INTO coordinators (id, role, epoch, host, folder, pid, url, output_key, started_at, renewed_at, expires_at)
           VALUES (?, 'holder', 1, 'box', ?, 1, ?, ?, 0, 0, 0)`,
      ).run(me, `/work/${me}`, url, `key-${me}`),
    );
    return {
      url,
      /** Answers following a run now. */
      following: () => outputs.size,
      grow: (total: number) => {
        for (const listener of [...outputs]) listener({ agent_id: 'agent-1', total });
      },
      /** A commit on this coordinator: every answer looks whether its run ended or is no longer its own. */
      committed: () => {
        for (const listener of [...changes]) listener();
      },
    };
  }

  /** The raw lines of a follow's answer, and whether it ended. */
  function rawFollow(url: string, key: string) {
    const lines: string[] = [];
    let ended = false;
    const req = get(`${url}${PEER_FOLLOW_PREFIX}agent-1`, { headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        pending += chunk;
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        lines.push(...parts);
      });
      res.on('end', () => {
        ended = true;
      });
    });
    req.on('error', () => undefined);
    cleanups.push(() => {
      req.destroy();
    });
    return { lines, ended: () => ended };
  }

  const takeOver = (store: Store, by: string) =>
    store.core.write((rev) => sqlText(store.core, "UPDATE agents SET coordinator_id = ?, rev = ? WHERE id = 'agent-1'").run(by, rev));

  it('the owner repeats its total at every keepalive while the run is quiet', async () => {
    const { store, runsDir } = await project();
    const clock = new ManualClock();
    const a = await owner(store, runsDir, 'owner-a', { keepaliveMs: 40, clock });
    const follow = rawFollow(a.url, 'key-owner-a');
    await until('the first total', () => follow.lines.length === 1, 10_000, 5);
    // Nothing more until a keepalive is due, then one line at each.
    clock.advance(39);
    for (let beats = 1; beats <= 3; beats++) {
      clock.advance(beats === 1 ? 1 : 40);
      await until(`keepalive ${beats} said`, () => follow.lines.length === 1 + beats, 10_000, 5);
    }
    expect(new Set(follow.lines)).toEqual(new Set(['{"total":0}']));
    // A growth is said at once, and repeated from then on.
    a.grow(3);
    clock.advance(40);
    await until('the new total repeated', () => follow.lines.filter((line) => line === '{"total":3}').length >= 2, 10_000, 5);
    expect(follow.lines).toHaveLength(6);
    expect(follow.ended()).toBe(false);
  });

  it('the follower takes twice the keepalive of silence as the owner gone, and not an owner that repeats itself', async () => {
    const keepaliveMs = 60;
    const clock = new ManualClock();
    // An owner that answers once and then says nothing, as a frozen machine (whose socket stays open) does.
    const frozen = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"total":3}\n');
    });
    const totals: number[] = [];
    let lost: string | null = null;
    const conn = followPeerOutput(
      { host: 'box', folder: '/work/frozen', url: frozen.url, outputKey: 'k' },
      'agent-1',
      { total: (total) => totals.push(total), ended: () => undefined, lost: (why) => (lost = why) },
      process.env,
      { keepaliveMs, clock },
    );
    cleanups.push(() => conn.close());
    await until('the first total', () => totals.length > 0, 10_000, 5);
    clock.advance(2 * keepaliveMs - 1);
    expect(lost).toBeNull();
    clock.advance(1);
    expect(lost).toBe('it stopped answering');
    expect(totals).toEqual([3]);

    // An owner whose run is as quiet, but who repeats its total at each keepalive, is followed on: each keepalive
    // heard starts the silence anew, so eight keepalives (four times the silence it allows) lose nothing.
    const { store, runsDir } = await project();
    const a = await owner(store, runsDir, 'owner-a', { keepaliveMs, clock });
    let lostLive: string | null = null;
    let heard = 0;
    const live = followPeerOutput(
      { host: 'box', folder: '/work/owner-a', url: a.url, outputKey: 'key-owner-a' },
      'agent-1',
      { total: () => heard++, ended: () => undefined, lost: (why) => (lostLive = why) },
      process.env,
      { keepaliveMs, clock },
    );
    cleanups.push(() => live.close());
    await until('the first total heard', () => heard === 1, 10_000, 5);
    for (let beats = 1; beats <= 8; beats++) {
      clock.advance(keepaliveMs);
      await until(`keepalive ${beats} heard`, () => heard === 1 + beats, 10_000, 5);
    }
    expect(lostLive).toBeNull();
  });

  it('an owner whose run was taken over ends its answer without saying the run ended', async () => {
    const { store, runsDir } = await project();
    const a = await owner(store, runsDir, 'owner-a');
    const follow = rawFollow(a.url, 'key-owner-a');
    await until('the first total', () => follow.lines.length > 0, 10_000, 20);
    await takeOver(store, 'owner-b');
    // Runs inside the commit's listeners on the owner: nothing may escape from it.
    expect(() => a.committed()).not.toThrow();
    await until('the answer ended', () => follow.ended(), 10_000, 20);
    expect(follow.lines).toEqual(['{"total":0}']);
    expect(a.following()).toBe(0);
  });

  it('a follower whose run another coordinator took over follows it on the new owner', async () => {
    const { store, runsDir } = await project();
    const a = await owner(store, runsDir, 'owner-a');
    const b = await owner(store, runsDir, 'owner-b');
    const emitted: OutputEvent[] = [];
    const follows = new OutputFollows({ store, me: 'follower', emit: (event) => emitted.push(event) });
    cleanups.push(() => follows.close());
    await follows.watch('agent-1');
    await until('followed on its owner', () => a.following() === 1, 10_000, 20);
    a.grow(2);
    await until('its growth relayed', () => emitted.some((event) => event.total === 2), 10_000, 20);

    await takeOver(store, 'owner-b');
    // The follower's look after that commit (the old owner's answer may not have ended yet).
    await follows.look();
    await until('followed on the new owner', () => b.following() === 1, 10_000, 20);
    await until('the old owner left', () => a.following() === 0, 10_000, 20);
    b.grow(5);
    await until('the new owner growth relayed', () => emitted.some((event) => event.total === 5), 10_000, 20);
    expect(emitted.filter((event) => event.away !== undefined)).toEqual([]);
  });

  it('a late release of an earlier watch leaves a newer follow of the same run in place', async () => {
    const { store, runsDir } = await project();
    const a = await owner(store, runsDir, 'owner-a');
    const b = await owner(store, runsDir, 'owner-b');
    const follows = new OutputFollows({ store, me: 'follower', emit: () => undefined });
    cleanups.push(() => follows.close());
    const earlier = await follows.watch('agent-1');
    await until('followed', () => a.following() === 1, 10_000, 20);
    // Every follow closed (the coordinator's event stream went away, say), then the run watched again.
    follows.close();
    await follows.watch('agent-1');
    await until('followed again', () => a.following() === 1, 10_000, 20);
    // The earlier watch's release comes only now.
    earlier();

    // The newer follow is still looked after: it moves with its run to the new owner.
    await takeOver(store, 'owner-b');
    await follows.look();
    await until('followed on the new owner', () => b.following() === 1, 10_000, 20);
  });
});

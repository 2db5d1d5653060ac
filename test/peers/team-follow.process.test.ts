import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCoordinator } from '../../src/core/connecting/remote-host';
import type { OutputEvent } from '../../src/shared/api-contract';
import type { RunEventPage } from '../../src/shared/run-event';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { until } from '../helpers/until';
import { removeTeamFolders, startCoordinator, teamFolders } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';

/*
 * A window watches a run that another coordinator of the team runs: the coordinator it talks to (folder b's)
 * follows that run on its owner (folder a's) with one long answer, and relays each growth on its own event
 * stream, as it does for its own runs. Folder a's coordinator is reached through a counting proxy here (its row's
 * url names the proxy), so the test sees every request b makes of it: one follow while watched, none on a timer.
 *
 * Folder b's coordinator is paused (it starts nothing), so every run is folder a's.
 */

let server: PgServer;
let url: string;
let scratch: string;
let folders: TempProject[] = [];
const schema = 'follow';
const sql = (text: string) => server.psql(`SET search_path = ${schema}; ${text}`).trim();

/** A proxy in front of folder a's coordinator that counts what reaches it, by route. */
class CountingProxy {
  readonly requests: string[] = [];
  /** Follows whose answer is still open. */
  open = 0;
  private readonly server: Server;
  constructor(private readonly target: string) {
    this.server = createServer((req, res) => {
      const route = (req.url ?? '').replace(/\/agent-\d+.*$/, '');
      this.requests.push(route);
      const follow = route === '/api/peer/follow';
      if (follow) this.open++;
      let closed = false;
      const done = () => {
        if (closed) return;
        closed = true;
        if (follow) this.open--;
      };
      const to = new URL(req.url ?? '/', this.target);
      const upstream = request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('close', () => res.destroy());
      });
      upstream.on('error', () => res.destroy());
      res.on('close', () => {
        done();
        upstream.destroy();
      });
      req.pipe(upstream);
    });
  }
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  count(route: string): number {
    return this.requests.filter((r) => r === route).length;
  }
  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** A window's stream of one run's output, as the renderer opens it (`?watch=`), read as it arrives. */
class WatchStream {
  readonly events: (OutputEvent & { at: number })[] = [];
  private readonly abort = new AbortController();
  private constructor() {}
  static async open(base: string, token: string, agent: string): Promise<WatchStream> {
    const stream = new WatchStream();
    const res = await fetch(`${base}/api/events?token=${encodeURIComponent(token)}&watch=${agent}`, { signal: stream.abort.signal });
    expect(res.status).toBe(200);
    const body = res.body;
    if (!body) throw new Error('no body');
    void (async () => {
      const decoder = new TextDecoder();
      let pending = '';
      try {
        for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
          pending += decoder.decode(chunk, { stream: true });
          let end = pending.indexOf('\n\n');
          while (end >= 0) {
            const block = pending.slice(0, end);
            pending = pending.slice(end + 2);
            const data = /^event: output\ndata: (.*)$/m.exec(block);
            if (data?.[1]) stream.events.push({ ...(JSON.parse(data[1]) as OutputEvent), at: Date.now() });
            end = pending.indexOf('\n\n');
          }
        }
      } catch {
        // Closed by the test.
      }
    })();
    return stream;
  }
  last(): (OutputEvent & { at: number }) | undefined {
    return this.events.at(-1);
  }
  close(): void {
    this.abort.abort();
  }
}

const marker = (name: string) => join(scratch, name);
/** A shell task that says each word once the marker before it exists. */
const speaker = (words: string[]) =>
  words
    .map((word, i) => (i === 0 ? `echo ${word}` : `until [ -e ${marker(words[i - 1] as string)} ]; do sleep 0.1; done; echo ${word}`))
    .join('; ');

beforeAll(async () => {
  server = startPostgresServer();
  url = server.url({ schema });
  scratch = mkdtempSync(join(tmpdir(), 'wg-follow-'));
  folders = await teamFolders(url, 'wg-follow-', ['-x', 'shell']);
}, 120_000);

afterAll(async () => {
  await removeTeamFolders(folders);
  server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe("a window watching another coordinator's run", () => {
  let bUrl = '';
  let bToken = '';
  let proxy: CountingProxy;
  const outputOn = (p: TempProject, agent: string) => p.json<RunEventPage>(['output', agent, '--limit', '1000']);
  const agentOf = (task: string) => until(`a run of ${task}`, () => sql(`SELECT id FROM agents WHERE task_id = '${task}'`));
  /** The words the run said, as folder b's coordinator serves them to its window (fetched from their owner). */
  const said = async (agent: string, offset = 0) => {
    const res = await fetch(`${bUrl}/api/op/run:events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ agent, offset, limit: 1000 }),
    });
    const page = (await res.json()) as RunEventPage;
    return [...(JSON.stringify(page.events).match(/word-\d/g) ?? [])];
  };

  it('start: folder a reached through the counting proxy, folder b paused', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const aUrl = await startCoordinator(a);
    bUrl = await startCoordinator(b);
    await b.ok(['service', 'pause']);
    bToken = readFileSync(join(b.root, '.workgraph/service/token'), 'utf8').trim();
    proxy = new CountingProxy(aUrl);
    const proxyUrl = await proxy.listen();
    sql(`UPDATE coordinators SET url = '${proxyUrl}' WHERE folder = '${a.root}'`);
  }, 120_000);

  it('streams each growth to the window at once, with one request to the owner and none on a timer', async () => {
    const [a] = folders as [TempProject, TempProject];
    await a.ok(['add', 'Talk', '--id', 'talk', '--exec', speaker(['word-1', 'word-2', 'word-3', 'word-4'])]);
    const agent = await agentOf('talk');
    await until('word-1 written on folder a', async () => JSON.stringify((await outputOn(a, agent)).events).includes('word-1'), 30_000);
    const watch = await WatchStream.open(bUrl, bToken, agent);
    try {
      // The follow's first line: the total as it stands.
      const first = await until('the first total relayed', () => watch.last(), 10_000);
      expect(first.agent_id).toBe(agent);
      expect(first.away).toBeUndefined();
      const lags: number[] = [];
      for (const word of ['word-1', 'word-2']) {
        const before = watch.last()?.total ?? 0;
        const sent = Date.now();
        writeFileSync(marker(word), '');
        const grown = await until(`the growth after ${word} relayed`, () => watch.events.find((e) => e.total > before), 10_000);
        lags.push(grown.at - sent);
      }
      // Nothing arrives but what grew; and while the window watches, nothing is asked again and again.
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      expect(proxy.requests).toEqual(['/api/peer/follow']);
      expect(proxy.open).toBe(1);
      expect(await said(agent)).toEqual(['word-1', 'word-2', 'word-3']);
      expect(Math.max(...lags)).toBeLessThan(5_000);
      expect(proxy.count('/api/peer/follow')).toBe(1);
    } finally {
      watch.close();
    }
    // Nobody watches: the follow ends.
    await until('the follow closed once nobody watches', () => proxy.open === 0, 10_000);
    // Watched again, then the run ends: the owner ends the follow.
    const again = await WatchStream.open(bUrl, bToken, agent);
    try {
      await until('a second follow', () => proxy.open === 1, 10_000);
      writeFileSync(marker('word-3'), '');
      await until('talk done', () => sql("SELECT status FROM tasks WHERE id = 'talk'") === 'done', 30_000);
      await until('the follow ended with the run', () => proxy.open === 0, 10_000);
      const total = (await outputOn(a, agent)).total;
      await until('the final total relayed', () => again.last()?.total === total, 10_000);
      expect(await said(agent)).toEqual(['word-1', 'word-2', 'word-3', 'word-4']);
    } finally {
      again.close();
    }
    expect(proxy.count('/api/peer/follow')).toBe(2);
  }, 120_000);

  it('a window connected to folder b from another machine (Service › Connect) has b follow the run it shows', async () => {
    const [a] = folders as [TempProject, TempProject];
    await a.ok(['add', 'Talk far', '--id', 'talk-far', '--exec', speaker(['word-8', 'word-9'])]);
    const agent = await agentOf('talk-far');
    await until('word-8 written on folder a', async () => JSON.stringify((await outputOn(a, agent)).events).includes('word-8'), 30_000);
    // The window's side of a connection, as the app's main process holds it for a coordinator on another machine.
    const host = await connectCoordinator(bUrl, bToken);
    const seen: OutputEvent[] = [];
    const unsubscribe = host.onOutput((event) => {
      if (event.agent_id === agent) seen.push(event);
    });
    const followsBefore = proxy.count('/api/peer/follow');
    try {
      // The window shows the run's output (output-watch-ipc.ts asks its host so).
      const release = await host.watchOutput?.(agent);
      expect(release).toBeTypeOf('function');
      await until('b follows the run on its owner', () => proxy.open === 1, 10_000);
      const before = await until('the total relayed to the window', () => seen.at(-1), 10_000);
      writeFileSync(marker('word-8'), '');
      await until('the growth relayed to the window', () => seen.find((event) => event.total > before.total), 10_000);
      expect(seen.filter((event) => event.away)).toEqual([]);
      release?.();
      await until('the follow closed once the window stops showing the run', () => proxy.open === 0, 10_000);
    } finally {
      unsubscribe();
      await host.close({ stopAgents: false });
    }
    expect(proxy.count('/api/peer/follow')).toBe(followsBefore + 1);
  }, 120_000);

  it('an owner that goes away gives one line; the follow resumes from where it was when it is back', async () => {
    const [a] = folders as [TempProject, TempProject];
    await a.ok(['add', 'Talk on', '--id', 'talk-on', '--exec', speaker(['word-5', 'word-6', 'word-7'])]);
    const agent = await agentOf('talk-on');
    await until('word-5 written on folder a', async () => JSON.stringify((await outputOn(a, agent)).events).includes('word-5'), 30_000);
    const watch = await WatchStream.open(bUrl, bToken, agent);
    // A window connected to b from another machine hears the same line.
    const host = await connectCoordinator(bUrl, bToken);
    const hostHeard: OutputEvent[] = [];
    const unsubscribe = host.onOutput((event) => {
      if (event.agent_id === agent) hostHeard.push(event);
    });
    const release = await host.watchOutput?.(agent);
    try {
      const before = await until('the first total relayed', () => watch.last(), 10_000);
      const pid = Number(sql(`SELECT pid FROM coordinators WHERE folder = '${a.root}'`));
      process.kill(pid, 'SIGKILL');
      const away = await until('the owner said away', () => watch.events.find((e) => e.away), 10_000);
      expect(away.away).toMatch(
        new RegExp(
          `^${agent}'s output is on the coordinator .*:${a.root} \\(.*\\), which cannot be reached: .*; it follows on when that coordinator is back$`,
        ),
      );
      expect(away.total).toBe(before.total);
      expect((await until('the connected window told', () => hostHeard.find((e) => e.away), 10_000)).away).toBe(away.away);
      // Said while the owner is away, read when it is back.
      writeFileSync(marker('word-5'), '');
      await startCoordinator(a);
      const resumed = await until('the follow resumed', () => watch.events.find((e) => e.total > before.total), 20_000);
      expect(resumed.away).toBeUndefined();
      expect(await said(agent, before.total)).toEqual(['word-6']);
      writeFileSync(marker('word-6'), '');
      await until(
        'word-7 relayed',
        async () => (watch.last()?.total ?? 0) > resumed.total && (await said(agent)).includes('word-7'),
        20_000,
      );
      expect(watch.events.filter((e) => e.away)).toHaveLength(1);
      const totals = watch.events.map((e) => e.total);
      expect(totals).toEqual([...totals].sort((x, y) => x - y));
    } finally {
      watch.close();
      release?.();
      unsubscribe();
      await host.close({ stopAgents: false });
    }
  }, 120_000);

  it('the follow opens with the output key alone, for a run of that coordinator alone', async () => {
    const [a] = folders as [TempProject, TempProject];
    const [aUrl, key] = sql(`SELECT url, output_key FROM coordinators WHERE folder = '${a.root}'`).split('|') as [string, string];
    const token = readFileSync(join(a.root, '.workgraph/service/token'), 'utf8').trim();
    const agent = sql("SELECT id FROM agents WHERE task_id = 'talk'");
    const follow = (bearer: string, method = 'GET') =>
      fetch(`${aUrl}/api/peer/follow/${agent}`, { method, headers: { authorization: `Bearer ${bearer}` } });
    // A run that ended: its total, then the end, and the answer ends.
    const ended = await follow(key);
    expect([ended.status, (await ended.text()).trim().split('\n').at(-1)]).toEqual([200, '{"ended":true}']);
    expect((await follow(token)).status).toBe(401);
    expect((await follow(`${key.slice(0, -1)}x`)).status).toBe(401);
    expect((await follow(key, 'POST')).status).toBe(405);
    const watched = await fetch(`${bUrl}/api/events?token=${bToken}&watch=agent-999`);
    expect(watched.status).toBe(404);
    sql(`UPDATE agents SET coordinator_id = NULL WHERE id = '${agent}'`);
    const foreign = await follow(key);
    expect([foreign.status, ((await foreign.json()) as { error: string }).error]).toEqual([
      404,
      `${agent} did not run on this coordinator`,
    ]);
  }, 120_000);
});

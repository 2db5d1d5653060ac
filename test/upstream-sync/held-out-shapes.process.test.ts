import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { Evaluation, Task } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';

/*
 * The shapes that lost tasks at the seams, through the real `wg` and daemon: graph.jsonl saved in
 * place (an editor, `cat >`, git), written back from git, renamed over from a stale copy without
 * graph.lock, a FIFO in place of a file upstream writes, and a command that only reads.
 */

type Line = Record<string, unknown> & { id: string };
type Listed = { id: string; status: string; after: string[] };
type Shown = Task;

const SAVER = join(import.meta.dirname, 'in-place-saver.py');

let project: TempProject;
let dir: string;
let file: string;
afterEach(async () => {
  await project.wg(['service', 'stop']);
  project.remove();
});

function upstreamProject(lines: object[]): void {
  project = new TempProject('wg-held-out-');
  dir = join(project.root, '.wg');
  mkdirSync(dir);
  file = join(dir, 'graph.jsonl');
  writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

/** Upstream lines as an upstream `wg add` writes them (its priority and creation time). */
function tasks(count: number, extra: (i: number) => object = () => ({})): object[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'task',
    id: `t${i}`,
    title: `T${i}`,
    status: 'open',
    priority: 10,
    paused: true,
    created_at: '2026-01-01T00:00:00+00:00',
    ...extra(i),
  }));
}

function fileTasks(): Map<string, Line> {
  return new Map(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line)
      .map((l) => [l.id, l]),
  );
}

const listed = async () => new Set((await project.json<Listed[]>(['list', '--all'])).map((t) => t.id));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function serviceRuns(): Promise<boolean> {
  const result = await project.wg(['service', 'status', '--json']);
  return result.exitCode === 0 && (JSON.parse(result.stdout) as { running: boolean }).running;
}

describe('a command that only reads', () => {
  it('leaves graph.jsonl byte for byte, even where its lines lack what this app fills in (priority, created_at)', async () => {
    upstreamProject([
      { kind: 'task', id: 'a', title: 'A', status: 'open' },
      { kind: 'task', id: 'b', title: 'B', status: 'done', after: ['a'] },
    ]);
    const before = readFileSync(file);
    await project.ok(['list']);
    await project.ok(['show', 'a']);
    await project.ok(['list', '--json']);
    await project.ok(['ready']);
    expect(readFileSync(file).equals(before)).toBe(true);
    // A change writes only what it changed: the other line stays as it was.
    await project.ok(['log', 'b', 'noted']);
    const after = fileTasks();
    expect(after.get('a')).toEqual({ kind: 'task', id: 'a', title: 'A', status: 'open' });
    expect(after.get('b')).not.toHaveProperty('created_at');
    expect(after.get('b')).not.toHaveProperty('priority');
  });
});

describe('graph.jsonl saved in place', () => {
  it('a save that truncates, pauses a few seconds and writes, with a wg add in the pause: nothing lost on either side', async () => {
    upstreamProject(tasks(9));
    await project.ok(['list']);
    const whole = readFileSync(file, 'utf8');
    // Long enough for a `wg add` on a loaded machine to run inside the pause.
    const saver = execa('python3', [SAVER, 'once', file, '6.0']);
    await waitFor('the save to truncate the file', () => readFileSync(file, 'utf8') === '');
    const added = await project.wg(['add', 'New', '--id', 'new']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stderr).toMatch(/graph.jsonl is not taken in: it is empty/);
    expect((await listed()).size).toBe(10);
    await saver;
    // The save ended as it began; a read takes it in and writes nothing.
    expect(readFileSync(file, 'utf8')).toBe(whole);
    expect((await listed()).size).toBe(10);
    expect(readFileSync(file, 'utf8')).toBe(whole);
    // The next change, once the save has stood still (a save in place is not written over while it may go on),
    // writes what waited.
    const then = new Date(Date.now() - 10_000);
    utimesSync(file, then, then);
    await project.ok(['log', 'new', 'after the save']);
    expect([...fileTasks().keys()].sort()).toEqual([...(await listed())].sort());
    expect(fileTasks().size).toBe(10);
  }, 120_000);

  it('an unchanged save with a short gap, while the service watches, keeps a done task and its evaluation', async () => {
    upstreamProject([...tasks(4), { kind: 'task', id: 'scored', title: 'Scored', status: 'open', priority: 10 }]);
    await project.ok(['claim', 'scored', '--agent', 'me']);
    await project.ok(['done', 'scored']);
    await project.ok(['evaluate', 'record', 'scored', '--score', '0.9']);
    const started = await project.wg(['service', 'start', '--executor', 'shell']);
    expect(started.exitCode, started.stderr).toBe(0);
    for (const gap of ['0.01', '0.01', '0.01', '0.1', '0.3']) {
      await execa('python3', [SAVER, 'once', file, gap]);
      await sleep(600);
    }
    const shown = await project.json<{ evaluations: Evaluation[] }>(['evaluate', 'show', 'scored']);
    expect(shown.evaluations.map((evaluation) => evaluation.score)).toEqual([0.9]);
    expect((await listed()).size).toBe(5);
    expect(fileTasks().size).toBe(5);
    expect(fileTasks().get('scored')?.status).toBe('done');
  }, 120_000);

  it('in-place saves racing wg adds for ten seconds lose no task in graph.db or graph.jsonl', async () => {
    upstreamProject(tasks(3));
    await project.ok(['list']);
    const started = await project.wg(['service', 'start', '--executor', 'shell']);
    expect(started.exitCode, started.stderr).toBe(0);
    const stop = join(project.root, 'stop');
    const ready = join(project.root, 'saving');
    const saver = execa('python3', [SAVER, 'loop', file, stop, ready]);
    // The ten seconds start with the first save: on a loaded machine Python took that long to start.
    await waitFor('the first in-place save', () => existsSync(ready));
    const added: string[] = [];
    const until = Date.now() + 10_000;
    for (let i = 0; Date.now() < until; i++) {
      const result = await project.wg(['add', `Raced ${i}`, '--id', `raced-${i}`, '--paused']);
      expect(result.exitCode, result.stderr).toBe(0);
      added.push(`raced-${i}`);
    }
    writeFileSync(stop, '');
    const saves = Number((await saver).stdout.trim());
    console.log(`${saves} in-place saves raced ${added.length} wg adds`);
    expect(saves).toBeGreaterThan(10);
    const expected = ['t0', 't1', 't2', ...added].sort();
    expect([...(await listed())].sort()).toEqual(expected);
    // The service takes the last save in and writes graph.db's graph over anything it lacked.
    await waitFor('graph.jsonl to hold every task', () => {
      try {
        return [...fileTasks().keys()].sort().join() === expected.join();
      } catch {
        return false;
      }
    });
  }, 90_000);
});

describe('graph.jsonl written back from an older version', () => {
  it('git checkout of an older graph.jsonl does not move a done task back onto its ended run; a restart keeps it done', async () => {
    upstreamProject([{ kind: 'task', id: 'slow', title: 'Slow', status: 'open', priority: 10, exec: 'sleep 1' }]);
    const env = { ...process.env };
    delete env.GIT_DIR;
    delete env.GIT_WORK_TREE;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: project.root, env });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'start');
    const started = await project.wg(['service', 'start', '--executor', 'shell']);
    expect(started.exitCode, started.stderr).toBe(0);
    await waitFor('slow in progress in graph.jsonl', () => fileTasks().get('slow')?.status === 'in-progress');
    git('add', '.wg/graph.jsonl');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'in progress');
    await waitFor('slow done in graph.jsonl', () => fileTasks().get('slow')?.status === 'done');
    await sleep(500);
    git('checkout', 'HEAD', '--', '.wg/graph.jsonl');
    expect(fileTasks().get('slow')?.status).toBe('in-progress');
    await waitFor('graph.jsonl rewritten from graph.db', () => fileTasks().get('slow')?.status === 'done');
    const shown = await project.json<Shown>(['show', 'slow']);
    expect(shown.status).toBe('done');
    expect(shown.log.filter((e) => e.actor === 'sync')).toHaveLength(1);
    const daemonLog = readFileSync(join(dir, 'desktop', 'service', 'daemon.log'), 'utf8');
    expect(daemonLog).toMatch(/graph.jsonl was not taken in: it moves slow/);
    await project.ok(['service', 'stop']);
    const again = await project.wg(['service', 'start', '--executor', 'shell']);
    expect(again.exitCode, again.stderr).toBe(0);
    await sleep(1000);
    expect((await project.json<Shown>(['show', 'slow'])).status).toBe('done');
  }, 90_000);
});

describe('graph.jsonl renamed over from a stale copy, without graph.lock', () => {
  it("loses none of this app's tasks, dependencies or log entries; the stale writer's own task and log entry are kept", async () => {
    upstreamProject([{ kind: 'task', id: 'shared', title: 'Shared', status: 'open', priority: 10, paused: true }, ...tasks(3)]);
    await project.ok(['list']);
    const ready = join(project.root, 'ready');
    const go = join(project.root, 'go');
    const stale = execa('python3', [SAVER, 'stale', file, ready, go]);
    await waitFor('the stale read', () => existsSync(ready));
    for (let i = 0; i < 6; i++)
      await project.ok(['add', `Here ${i}`, '--id', `here-${i}`, '--paused', ...(i > 0 ? ['--after', `here-${i - 1}`] : [])]);
    await project.ok(['edit', 't0', '--add-after', 'here-0']);
    for (let i = 0; i < 3; i++) await project.ok(['log', 'shared', `here round ${i}`]);
    writeFileSync(go, '');
    await stale;
    // The next change's sync meets the stale version: it lacks tasks, so it may be a save under way.
    const early = await project.wg(['log', 't1', 'after the stale write']);
    expect(early.stderr).toMatch(/graph.jsonl is not taken in yet: it removes 6 unfinished tasks/);
    // Once it has stood still, the next change's sync refuses it and keeps it beside.
    const then = new Date(Date.now() - 10_000);
    utimesSync(file, then, then);
    const logged = await project.wg(['log', 't1', 'once it stood still']);
    expect(logged.stderr).toMatch(/graph.jsonl was not taken in: it removes 6 unfinished tasks/);
    expect(readFileSync(`${file}.refused`, 'utf8')).toContain('stale-own');
    const inFile = fileTasks();
    const db = await project.json<Listed[]>(['list', '--all']);
    const byId = new Map(db.map((t) => [t.id, t]));
    for (let i = 0; i < 6; i++) {
      const dep = i > 0 ? [`here-${i - 1}`] : [];
      expect(byId.get(`here-${i}`)?.after, `here-${i}`).toEqual(dep);
      expect(inFile.get(`here-${i}`)?.after ?? [], `here-${i}`).toEqual(dep);
    }
    expect(byId.get('t0')?.after).toContain('here-0');
    expect(inFile.get('t0')?.after).toContain('here-0');
    const shared = await project.json<Shown>(['show', 'shared']);
    const messages = shared.log.map((e) => e.message);
    const fileLog = ((inFile.get('shared')?.log as Array<{ message: string }>) ?? []).map((e) => e.message);
    for (const message of ['here round 0', 'here round 1', 'here round 2', 'stale writer']) {
      expect(messages).toContain(message);
      expect(fileLog).toContain(message);
    }
    expect(byId.has('stale-own')).toBe(true);
    expect(inFile.has('stale-own')).toBe(true);
  }, 120_000);
});

describe('a FIFO, socket or device where upstream keeps a file', () => {
  /** Opens a FIFO for writing without waiting: succeeds only while something waits to read it (a stuck reader is let go). */
  function releaseReaders(path: string): void {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waits.
    }
  }

  it('is refused at once by wg and by the daemon, which keeps answering', async () => {
    upstreamProject(tasks(2));
    await project.ok(['list']);
    const started = await project.wg(['service', 'start', '--executor', 'shell']);
    expect(started.exitCode, started.stderr).toBe(0);
    const fifo = join(project.root, 'fifo');
    const messages = join(dir, 'messages');
    try {
      spawnSync('mkfifo', [fifo]);
      renameSync(fifo, file);
      const listedNow = await execa('node', [join(import.meta.dirname, '../../bin/wg.js'), 'list'], {
        cwd: project.root,
        env: project.env,
        reject: false,
        timeout: 15_000,
      });
      expect(listedNow.timedOut).toBe(false);
      expect(listedNow.exitCode).toBe(0);
      expect(listedNow.stderr).toMatch(/graph.jsonl is a FIFO, not a regular file/);
      await sleep(500);
      expect(await serviceRuns()).toBe(true);
      mkdirSync(messages, { recursive: true });
      spawnSync('mkfifo', [join(messages, 't0.jsonl')]);
      await sleep(500);
      expect(await serviceRuns()).toBe(true);
      const sent = await project.wg(['msg', 'send', 't0', 'hello']);
      expect(sent.exitCode, sent.stderr).toBe(0);
      expect(sent.stderr).toMatch(/t0.jsonl is a FIFO, not a regular file/);
      expect(await serviceRuns()).toBe(true);
      const daemonLog = readFileSync(join(dir, 'desktop', 'service', 'daemon.log'), 'utf8');
      expect(daemonLog).toMatch(/is a FIFO, not a regular file/);
    } finally {
      releaseReaders(file);
      releaseReaders(join(messages, 't0.jsonl'));
    }
  }, 120_000);

  it("config.toml (which upstream's wg config writes too) as a FIFO, and a message file linked to one: one line each, the daemon keeps answering", async () => {
    upstreamProject(tasks(2));
    await project.ok(['list']);
    const started = await project.wg(['service', 'start', '--executor', 'shell']);
    expect(started.exitCode, started.stderr).toBe(0);
    const config = join(dir, 'config.toml');
    const messages = join(dir, 'messages');
    const elsewhere = join(project.root, 'elsewhere-fifo');
    const wg = (args: string[]) =>
      execa('node', [join(import.meta.dirname, '../../bin/wg.js'), ...args], {
        cwd: project.root,
        env: project.env,
        reject: false,
        timeout: 15_000,
      });
    try {
      spawnSync('mkfifo', [config]);
      const status = await wg(['service', 'status']);
      expect(status.timedOut).toBe(false);
      expect(status.exitCode, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/coordinator running/);
      // The daemon sees config.toml change and reads it again: it refuses the FIFO, says so, and keeps answering.
      await waitFor('the daemon to refuse it', async () =>
        /config not reloaded: .*config\.toml is a FIFO/.test((await wg(['service', 'status'])).stdout),
      );
      const reload = await wg(['service', 'reload']);
      expect(reload.timedOut).toBe(false);
      expect(reload.exitCode).toBe(1);
      expect(reload.stderr.trim()).toMatch(/^wg: .*config\.toml is a FIFO, not a regular file; it is left alone and not read$/);
      releaseReaders(config);
      rmSync(config);
      await sleep(500);
      expect(await serviceRuns()).toBe(true);

      mkdirSync(messages, { recursive: true });
      spawnSync('mkfifo', [elsewhere]);
      symlinkSync(elsewhere, join(messages, 't0.jsonl'));
      const sent = await wg(['msg', 'send', 't0', 'hello']);
      expect(sent.timedOut).toBe(false);
      expect(sent.stderr.trim()).toMatch(/^wg: .*t0\.jsonl is a symbolic link, which this app never makes there; remove it and try again$/);
      await sleep(500);
      expect(await serviceRuns()).toBe(true);
    } finally {
      releaseReaders(config);
      releaseReaders(elsewhere);
    }
  }, 120_000);
});

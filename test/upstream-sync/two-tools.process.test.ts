import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/*
 * Upstream's wg and this app's wg on one project at once. The upstream side is upstream-writer.py,
 * which writes graph.jsonl as upstream's src/parser.rs `modify_graph` does (flock on graph.lock, a
 * temp file, a rename); the app side is the real `wg` command line.
 */

const WRITER = join(import.meta.dirname, 'upstream-writer.py');

type Line = { id: string; after?: string[]; tags?: string[]; description?: string; log?: Array<{ message: string }>; skills?: string[] };
/** `wg show --json`: a whole task (a list item has no log or description). */
type Shown = { description?: string; log: Array<{ message: string }> };
type Listed = {
  id: string;
  status: string;
  after: string[];
  tags: string[];
  skills?: string[];
  extra?: { skills?: string[] };
};

let project: TempProject;
afterEach(() => project.remove());

function upstreamProject(sharedFields: Record<string, unknown> = {}): string {
  project = new TempProject('wg-two-tools-');
  const dir = join(project.root, '.wg');
  mkdirSync(dir);
  const shared = {
    kind: 'task',
    id: 'shared',
    title: 'Shared',
    status: 'open',
    priority: 10,
    created_at: '2026-01-01T00:00:00+00:00',
    skills: ['both'],
    ...sharedFields,
  };
  writeFileSync(join(dir, 'graph.jsonl'), `${JSON.stringify(shared)}\n`);
  return dir;
}

function fileTasks(dir: string): Map<string, Line> {
  const lines = readFileSync(join(dir, 'graph.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  return new Map(lines.map((l) => [l.id, l]));
}

describe('one graph, two tools: upstream wg and this wg writing at once', () => {
  it('loses no task, dependency or log entry over many racing rounds, in graph.jsonl and in graph.db', async () => {
    const dir = upstreamProject();
    await project.ok(['list']);
    const stop = join(project.root, 'stop');
    const upstream = execa('python3', [WRITER, 'race', dir, 'up', '400', stop]);
    const ROUNDS = 6;
    // Two writers of this app, each a chain of tasks and a log entry per round on the task both tools log to.
    // Upstream at work under its lock is never refused (a version read before another process wrote its own is read again).
    const said: string[] = [];
    // This app's two writers race each other as well as upstream's: one a `wg` process per command, the other
    // `wg` run in this test's process.
    const ok = async (how: 'process' | 'in-process', args: string[]) => {
      const result = await (how === 'process' ? project.wgProcess(args) : await project.wg(args));
      expect(result.exitCode, result.stderr).toBe(0);
      if (result.stderr) said.push(result.stderr);
    };
    const here = async (name: string, how: 'process' | 'in-process') => {
      for (let i = 0; i < ROUNDS; i++) {
        await ok(how, ['add', `${name} ${i}`, '--id', `${name}-${i}`, ...(i > 0 ? ['--after', `${name}-${i - 1}`] : [])]);
        await ok(how, ['log', 'shared', `${name} round ${i}`]);
      }
    };
    await Promise.all([here('here', 'process'), here('there', 'in-process')]);
    expect(said.filter((line) => /not taken in/.test(line))).toEqual([]);
    writeFileSync(stop, '');
    const upRounds = Number((await upstream).stdout.trim());
    expect(upRounds).toBeGreaterThan(ROUNDS);
    console.log(`upstream wrote ${upRounds} rounds while this app wrote ${2 * ROUNDS}`);
    // Whatever upstream wrote last is taken in by the next command.
    const tasks = await project.json<Listed[]>(['list', '--all']);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const file = fileTasks(dir);
    const expected: Array<[string, string | null]> = [];
    for (let i = 0; i < upRounds; i++) expected.push([`up-${i}`, i > 0 ? `up-${i - 1}` : null]);
    for (const name of ['here', 'there'])
      for (let i = 0; i < ROUNDS; i++) expected.push([`${name}-${i}`, i > 0 ? `${name}-${i - 1}` : null]);
    for (const [id, dep] of expected) {
      expect(byId.get(id)?.after ?? 'missing in graph.db', id).toEqual(dep ? [dep] : []);
      expect(file.get(id)?.after ?? (file.has(id) ? [] : 'missing in graph.jsonl'), id).toEqual(dep ? [dep] : []);
    }
    expect(byId.size).toBe(expected.length + 1);
    expect(file.size).toBe(expected.length + 1);
    const messages = [
      ...Array.from({ length: upRounds }, (_, i) => `up round ${i}`),
      ...['here', 'there'].flatMap((name) => Array.from({ length: ROUNDS }, (_, i) => `${name} round ${i}`)),
    ].sort();
    // A list item has no log (TaskSummary): the task's log is `wg show`'s.
    const shown = await project.json<Shown>(['show', 'shared']);
    expect(shown.log.map((e) => e.message).sort()).toEqual(messages);
    expect(
      file
        .get('shared')
        ?.log?.map((e) => e.message)
        .sort(),
    ).toEqual(messages);
    // Fields this app does not use came through every rewrite.
    expect(file.get('shared')?.skills).toEqual(['both']);
    expect(file.get('up-0')?.skills).toEqual(['python']);
  }, 240_000);

  it("loses no task, dependency, tag or log entry when both tools edit one task's lists and fields, with wg service running", async () => {
    // `shared` is paused: neither tool's coordinator runs it; the daemon runs every other task (exec `true`)
    // and writes graph.jsonl after each, a third writer in the race.
    const dir = upstreamProject({ paused: true });
    await project.ok(['list']);
    const started = await project.wg(['service', 'start', '--executor', 'shell', '--max-agents', '2']);
    expect(started.exitCode, started.stderr).toBe(0);
    const stop = join(project.root, 'stop');
    const ROUNDS = 16;
    let upRounds = 0;
    try {
      const upstream = execa('python3', [WRITER, 'race-shared', dir, 'ua', '5000', stop]);
      // Two of this app's writers, each round a task of its own added to shared's dependencies with a tag,
      // shared's description set and a log entry on shared: the same lists and fields upstream's rounds change.
      // This app's two writers race each other as well as upstream's and the daemon: one a `wg` process per
      // command, the other `wg` run in this test's process.
      const ok = async (how: 'process' | 'in-process', args: string[]) => {
        const result = await (how === 'process' ? project.wgProcess(args) : await project.wg(args));
        if (result.exitCode !== 0) throw new Error(`wg ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
      };
      const here = async (name: string, how: 'process' | 'in-process') => {
        for (let i = 0; i < ROUNDS; i++) {
          await ok(how, ['add', `${name} ${i}`, '--id', `${name}-${i}`, '--exec', 'true']);
          await ok(how, ['edit', 'shared', '--add-after', `${name}-${i}`, '--add-tag', `${name}-tag-${i}`, '-d', `${name} ${i}`]);
          await ok(how, ['log', 'shared', `${name} round ${i}`]);
        }
      };
      await Promise.all([here('ha', 'process'), here('hb', 'in-process')]);
      writeFileSync(stop, '');
      upRounds = Number((await upstream).stdout.trim());
    } finally {
      await project.wg(['service', 'stop']);
    }
    expect(readFileSync(join(dir, 'desktop', 'service', 'daemon.log'), 'utf8')).not.toMatch(/not taken in/);
    expect(upRounds).toBeGreaterThan(ROUNDS);
    console.log(`upstream wrote ${upRounds} rounds on shared while this app wrote ${2 * ROUNDS} (and its service ran the tasks)`);
    const tasks = await project.json<Listed[]>(['list', '--all']);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const file = fileTasks(dir);
    const named = (count: number, form: (i: number) => string) => Array.from({ length: count }, (_, i) => form(i));
    const sides: Array<[string, number]> = [
      ['ua', upRounds],
      ['ha', ROUNDS],
      ['hb', ROUNDS],
    ];
    const ids = sides.flatMap(([name, count]) => named(count, (i) => `${name}-${i}`)).sort();
    const tags = sides.flatMap(([name, count]) => named(count, (i) => `${name}-tag-${i}`)).sort();
    const messages = sides.flatMap(([name, count]) => named(count, (i) => `${name} round ${i}`)).sort();
    const dbShared = byId.get('shared');
    const fileShared = file.get('shared');
    expect([...byId.keys()].filter((id) => id !== 'shared').sort()).toEqual(ids);
    expect([...file.keys()].filter((id) => id !== 'shared').sort()).toEqual(ids);
    expect([...(dbShared?.after ?? [])].sort()).toEqual(ids);
    expect([...(fileShared?.after ?? [])].sort()).toEqual(ids);
    expect([...(dbShared?.tags ?? [])].sort()).toEqual(tags);
    expect([...(fileShared?.tags ?? [])].sort()).toEqual(tags);
    const ofRounds = (log: Array<{ message: string }> | undefined) =>
      (log ?? [])
        .map((e) => e.message)
        .filter((m) => / round \d+$/.test(m))
        .sort();
    const shownShared = await project.json<Shown>(['show', 'shared']);
    expect(ofRounds(shownShared.log)).toEqual(messages);
    expect(ofRounds(fileShared?.log)).toEqual(messages);
    // A field both changed: the later writer's value, the same in both files; it is one side's last.
    expect(shownShared.description).toBe(fileShared?.description);
    expect([`ua ${upRounds - 1}`, `ha ${ROUNDS - 1}`, `hb ${ROUNDS - 1}`]).toContain(fileShared?.description);
    expect(fileShared?.skills).toEqual(['both']);
    // The service was a writer too: it ran tasks of both tools.
    expect(tasks.some((t) => t.id.startsWith('ua-') && t.status === 'done')).toBe(true);
    expect(tasks.some((t) => t.id.startsWith('h') && t.status === 'done')).toBe(true);
  }, 400_000);

  it("leaves a project that is not upstream's as it is: no graph.jsonl, no graph.lock", async () => {
    project = new TempProject('wg-not-upstream-');
    await project.ok(['init']);
    await project.ok(['add', 'Only here']);
    await project.ok(['list']);
    expect(existsSync(join(project.root, '.workgraph', 'graph.jsonl'))).toBe(false);
    expect(existsSync(join(project.root, '.workgraph', 'graph.lock'))).toBe(false);
  });
});

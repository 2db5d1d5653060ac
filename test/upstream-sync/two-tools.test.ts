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

type Line = { id: string; after?: string[]; log?: Array<{ message: string }>; skills?: string[] };
type Listed = { id: string; after: string[]; log: Array<{ message: string }>; skills?: string[]; extra?: { skills?: string[] } };

let project: TempProject;
afterEach(() => project.remove());

function upstreamProject(): string {
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
    const here = async (name: string) => {
      for (let i = 0; i < ROUNDS; i++) {
        await project.ok(['add', `${name} ${i}`, '--id', `${name}-${i}`, ...(i > 0 ? ['--after', `${name}-${i - 1}`] : [])]);
        await project.ok(['log', 'shared', `${name} round ${i}`]);
      }
    };
    await Promise.all([here('here'), here('there')]);
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
    expect(
      byId
        .get('shared')
        ?.log.map((e) => e.message)
        .sort(),
    ).toEqual(messages);
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

  it("leaves a project that is not upstream's as it is: no graph.jsonl, no graph.lock", async () => {
    project = new TempProject('wg-not-upstream-');
    await project.ok(['init']);
    await project.ok(['add', 'Only here']);
    await project.ok(['list']);
    expect(existsSync(join(project.root, '.workgraph', 'graph.jsonl'))).toBe(false);
    expect(existsSync(join(project.root, '.workgraph', 'graph.lock'))).toBe(false);
  });
});

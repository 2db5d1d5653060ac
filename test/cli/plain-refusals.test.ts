import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';

/*
 * Bad input a review met with a library's words, a silent change, or a file destroyed: each now gets one
 * line in plain words and a nonzero exit, and changes nothing.
 */

const p = new TempProject();
const db = () => join(p.root, '.workgraph', 'graph.db');

beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'Alpha']);
});
afterAll(() => p.remove());

describe('wg export --out', () => {
  it("refuses a file in the project's own folder: an export over graph.db destroyed the graph and said nothing", async () => {
    const before = readFileSync(db());
    const result = await p.wg(['export', '--out', '.workgraph/graph.db']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^wg: --out \.workgraph\/graph\.db is inside the project's own folder \(.*\), where this app and upstream's wg keep the graph; choose a file outside it$/,
    );
    expect(readFileSync(db()).equals(before)).toBe(true);
    expect((await p.json<Task[]>(['list'])).map((t) => t.id)).toEqual(['alpha']);
  });

  it("refuses a link into the project's own folder: an output path is written through its link (as /dev/stdout is)", async () => {
    const before = readFileSync(db());
    symlinkSync(join('.workgraph', 'graph.db'), join(p.root, 'db-link'));
    const result = await p.wg(['export', '--out', 'db-link']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^wg: --out db-link is inside the project's own folder \(.*\), where this app and upstream's wg keep the graph; choose a file outside it$/,
    );
    expect(readFileSync(db()).equals(before)).toBe(true);
    expect(lstatSync(join(p.root, 'db-link')).isSymbolicLink()).toBe(true);
  });

  it('writes elsewhere whole, and says in words why it cannot', async () => {
    await p.ok(['export', '--out', 'tasks.jsonl']);
    expect(readFileSync(join(p.root, 'tasks.jsonl'), 'utf8')).toContain('"id":"alpha"');
    writeFileSync(join(p.root, 'a-file'), '');
    const result = await p.wg(['export', '--out', 'a-file/tasks.jsonl']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('wg: cannot write a-file/tasks.jsonl: a part of the path is a file, not a folder');
    mkdirSync(join(p.root, 'a-folder'));
    expect((await p.wg(['export', '--out', 'a-folder'])).stderr.trim()).toBe('wg: cannot write a-folder: a folder, not a file');
  });
});

describe('times', () => {
  it('a delay past what a date can hold is refused in words, not "Invalid time value"', async () => {
    for (const args of [
      ['add', 'Later', '--delay', '100000000d'],
      ['edit', 'alpha', '--delay', '99999999999d'],
    ]) {
      const result = await p.wg(args);
      expect(result.exitCode).toBe(1);
      expect(result.stderr.trim()).toMatch(/^wg: --delay \d+d is too far in the future$/);
    }
  });

  it('a date that does not exist (February 30) is refused, as upstream refuses it, not carried into March', async () => {
    const result = await p.wg(['add', 'Later', '--not-before', '2026-02-30T00:00:00Z']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/invalid timestamp '2026-02-30T00:00:00Z'/);
    await p.ok(['add', 'Leap', '--not-before', '2028-02-29T23:59:59+02:00']);
    expect((await p.json<Task>(['show', 'leap'])).not_before).toBe('2028-02-29T21:59:59.000Z');
  });

  it('an infinite number is shown as it was given, not as null', async () => {
    expect((await p.wg(['add', 'X', '--hours', '1e400'])).stderr.trim()).toBe("wg: hours must be a number (got 'Infinity')");
  });
});

describe('wg edit with nothing to change', () => {
  it("saves nothing and says so, as upstream's edit", async () => {
    const before = (await p.json<Task>(['show', 'alpha'])).rev;
    const result = await p.wg(['edit', 'alpha']);
    expect(result.exitCode).toBe(0);
    expect([result.stdout.trim(), result.stderr]).toEqual(["No changes made to task 'alpha'", '']);
    expect((await p.json<Task>(['show', 'alpha'])).rev).toBe(before);
    expect((await p.wg(['edit', 'nope'])).exitCode).toBe(3);
  });
});

describe('a project folder that cannot be made', () => {
  it('says which part of the path is a file, not ENOTDIR', async () => {
    writeFileSync(join(p.root, 'not-a-folder'), '');
    const result = await p.wg(['--dir', join(p.root, 'not-a-folder'), 'init']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(`wg: a part of the path is a file, not a folder: ${join(p.root, 'not-a-folder', '.workgraph')}`);
  });
});

describe('who wrote it', () => {
  it('a line break in --actor or --from is refused: it would break every listing it shows in', async () => {
    for (const args of [
      ['log', 'alpha', 'a note', '--actor', 'me\nyou'],
      ['msg', 'send', 'alpha', 'hello', '--from', 'me\u001b[31m'],
    ]) {
      const result = await p.wg(args);
      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(result.stderr.trim()).toMatch(/a name holds no line break or other control character$/);
    }
    await p.ok(['log', 'alpha', 'a note', '--actor', 'Zoë (review)']);
    expect((await p.json<Task>(['show', 'alpha'])).log.at(-1)).toMatchObject({ actor: 'Zoë (review)', message: 'a note' });
  });
});

import { execa } from 'execa';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject, WG_BIN } from '../helpers/wg-cli';

const FIXTURE = join(import.meta.dirname, '../fixtures/upstream/graph.jsonl');
const TASKS_IN_FIXTURE = 25;

let projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects) {
    chmodSync(p.root, 0o755);
    p.remove();
  }
  projects = [];
});

/** A folder upstream workgraph uses: its graph.jsonl in `dirName`, no graph.db yet. */
function upstreamProject(dirName: '.wg' | '.workgraph'): TempProject {
  const p = new TempProject('wg-open-');
  projects.push(p);
  mkdirSync(join(p.root, dirName));
  copyFileSync(FIXTURE, join(p.root, dirName, 'graph.jsonl'));
  return p;
}

const ids = (listing: string) =>
  listing
    .split('\n')
    .map((line) => line.split(/\s+/)[0])
    .filter(Boolean);

describe('an existing upstream project', () => {
  it('opens as it is: the first command imports .wg/graph.jsonl, says so once, and leaves the file untouched', async () => {
    const p = upstreamProject('.wg');
    const original = readFileSync(join(p.root, '.wg/graph.jsonl'));
    const first = await p.wg(['list']);
    expect(first.exitCode).toBe(0);
    expect(first.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^wg: imported 25 tasks from .*\/\.wg\/graph\.jsonl \(the file is left as it is; from now on each tool's changes reach the other\); now kept in .*\/\.wg\/desktop\/graph\.db$/,
      ),
    ]);
    // System tasks are hidden unless asked for.
    expect(ids(first.stdout)).toContain('research-spawn-semantics');
    expect(ids(first.stdout).some((id) => id?.startsWith('.'))).toBe(false);
    expect(ids(await p.ok(['list', '--all']))).toContain('.evaluate-research-spawn-semantics');
    const second = await p.wg(['list']);
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(join(p.root, '.wg/graph.jsonl')).equals(original)).toBe(true);
    expect(existsSync(join(p.root, '.workgraph'))).toBe(false);
  });

  it('opens a legacy .workgraph/ folder the same way, ready by upstream rules', async () => {
    const p = upstreamProject('.workgraph');
    const ready = await p.wg(['ready']);
    expect(ready.stderr).toMatch(/^wg: imported 25 tasks/);
    expect(ids(ready.stdout)).toEqual(['critical-fix', 'custom-priority', 'loop-head', 'low-docs', 'idle-cleanup']);
    expect(ids(await p.ok(['ready', '--all']))).toContain('.evaluate-soft-done');
  });

  it('is imported exactly once when several commands start at the same moment', async () => {
    const p = upstreamProject('.wg');
    const results = await Promise.all(Array.from({ length: 6 }, () => p.wgProcess(['list', '--all', '--json'])));
    for (const result of results) {
      expect(result.exitCode).toBe(0);
      expect((JSON.parse(result.stdout) as unknown[]).length).toBe(TASKS_IN_FIXTURE);
    }
    expect(results.filter((r) => r.stderr.includes('imported')).length).toBe(1);
    // Nothing half-made is left behind.
    expect(readdirSync(join(p.root, '.wg')).filter((name) => name.includes('.new-'))).toEqual([]);
  });

  it('refuses a graph.jsonl it cannot read, naming the line, and makes no database', async () => {
    const p = upstreamProject('.wg');
    writeFileSync(
      join(p.root, '.wg/graph.jsonl'),
      '{"kind":"task","id":"ok","title":"Ok"}\n{"kind":"task","id":"../../etc","title":"Bad"}\n',
    );
    const result = await p.wg(['list']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toMatch(
      /^wg: cannot import .*graph\.jsonl \(left as it is\): line 2: '\.\.\/\.\.\/etc' is not a valid task id/,
    );
    expect(readdirSync(join(p.root, '.wg'))).toEqual(['desktop', 'graph.jsonl']);
    // No database: only the .gitignore that keeps this app's folder out of commits.
    expect(readdirSync(join(p.root, '.wg/desktop'))).toEqual(['.gitignore']);
  });
});

describe('a read-only project', () => {
  /** Runs wg as someone who may read the project but not write it (root writes anything, so as nobody). */
  async function asReader(p: TempProject, args: string[]) {
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = await execa('node', [WG_BIN, ...args], {
      cwd: p.root,
      env: { WG_HOME: join(p.root, '.nohome'), WG_DIR: '', HOME: p.root },
      reject: false,
      ...asNobody,
    });
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
  }
  const readOnly = (p: TempProject) => {
    for (const dir of [p.root, ...readdirSync(p.root).map((name) => join(p.root, name))]) {
      if (!statSync(dir).isDirectory()) continue;
      chmodSync(dir, 0o555);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        chmodSync(path, statSync(path).isDirectory() ? 0o555 : 0o444);
      }
    }
  };

  it('can be read (list, show, export) and refuses a change with one clear line', async () => {
    const p = new TempProject('wg-readonly-');
    projects.push(p);
    await p.ok(['init']);
    await p.ok(['add', 'Hello', '--tag', 'x']);
    readOnly(p);
    expect((await asReader(p, ['list'])).stdout).toMatch(/^hello\s+open\s+normal\s+Hello/);
    expect((await asReader(p, ['show', 'hello'])).stdout).toMatch(/^hello: Hello/);
    expect((await asReader(p, ['export'])).stdout).toContain('"id":"hello"');
    const add = await asReader(p, ['add', 'Another']);
    expect(add.exitCode).not.toBe(0);
    expect(add.stderr.trim()).toMatch(/^wg: this project is read-only \(.*\.workgraph cannot be written\); it can be read, not changed$/);
  });

  it('with only an upstream graph.jsonl, reads it into memory', async () => {
    const p = upstreamProject('.wg');
    readOnly(p);
    const list = await asReader(p, ['list']);
    expect(list.exitCode).toBe(0);
    expect(ids(list.stdout)).toContain('critical-fix');
    expect(list.stderr).toMatch(/read into memory \(the project is read-only\)/);
    expect(existsSync(join(p.root, '.wg/graph.db'))).toBe(false);
    expect(existsSync(join(p.root, '.wg/desktop/graph.db'))).toBe(false);
  });
});

describe('wg init where no folder can be made', () => {
  // A process of its own: before, Node's recursive mkdir looped for ever on /proc/self (EEXIST on the
  // folder, ENOENT on its child), a loop no test in the same process could interrupt.
  it('refuses in one line, at once, where the folder cannot be made (/proc/self) or a part of the path is a file', async () => {
    const p = new TempProject('wg-init-nowhere-');
    projects.push(p);
    writeFileSync(join(p.root, 'a-file'), 'x');
    for (const [dir, reason] of [
      ['/proc/self', /^wg: no such file or folder: \/proc\/self\/\.workgraph$/],
      [join(p.root, 'a-file/below'), /^wg: a part of the path is a file, not a folder: .*a-file\/below\/\.workgraph$/],
    ] as const) {
      const result = await execa('node', [WG_BIN, '--dir', dir, 'init'], {
        cwd: p.root,
        env: { WG_HOME: join(p.root, '.nohome'), WG_DIR: '', HOME: p.root },
        reject: false,
        timeout: 30_000,
      });
      expect(result.timedOut, dir).toBe(false);
      expect(result.exitCode, dir).toBe(1);
      expect(result.stderr.trim(), dir).toMatch(reason);
    }
    // A path whose folders are missing is made, parents first.
    const deep = join(p.root, 'x/y/z');
    const made = await execa('node', [WG_BIN, '--dir', deep, 'init'], {
      cwd: p.root,
      env: { WG_HOME: join(p.root, '.nohome'), WG_DIR: '', HOME: p.root },
    });
    expect(made.stdout).toContain('Initialized workgraph');
    expect(statSync(join(deep, '.workgraph')).isDirectory()).toBe(true);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockGraph, lockGraphSync } from '../../src/core/upstream-sync/graph-lock';
import { WG_BIN } from '../helpers/wg-cli';

/*
 * Upstream's lock on graph.jsonl (an exclusive flock(2) on graph.lock) where util-linux's flock(1) is
 * missing, as on macOS: perl takes it the same way. The other side is a process that takes the lock as
 * upstream's wg does (fcntl.flock, the same flock(2)), so "held" means held for upstream too.
 */

const which = (program: string) => execFileSync('which', [program], { encoding: 'utf8' }).trim();
// The interpreter itself: a version manager's shim needs a PATH these tests take away.
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const PERL = which('perl');

/** Holds graph.lock exclusively until its stdin closes; resolves once it holds it. */
const HOLD = `import fcntl, sys
f = open(sys.argv[1], 'a+')
fcntl.flock(f, fcntl.LOCK_EX)
print('held', flush=True)
sys.stdin.read()`;
/** Exits 0 if it could take graph.lock at once (nobody holds it), 1 if not. */
const TRY = `import fcntl, sys
f = open(sys.argv[1], 'a+')
try:
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    sys.exit(1)`;

let root: string;
let dir: string;
let holder: ResultPromise<{ stdin: 'pipe' }> | null = null;
const savedPath = process.env.PATH;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wg-graph-lock-'));
  dir = join(root, '.wg');
  mkdirSync(dir);
});
afterEach(async () => {
  process.env.PATH = savedPath;
  if (holder) {
    holder.stdin?.end();
    await holder.catch(() => undefined);
    holder = null;
  }
  rmSync(root, { recursive: true, force: true });
});

/** A folder for PATH holding only the programs named (links to the real ones). */
function pathWith(programs: Record<string, string>): string {
  const bin = join(root, `bin-${Object.keys(programs).join('-') || 'empty'}`);
  mkdirSync(bin);
  for (const [name, target] of Object.entries(programs)) symlinkSync(target, join(bin, name));
  return bin;
}

const heldByOthers = () => {
  try {
    execFileSync(PYTHON, ['-c', TRY, join(dir, 'graph.lock')]);
    return false;
  } catch {
    return true;
  }
};

async function upstreamHolds(): Promise<void> {
  const started = execa(PYTHON, ['-c', HOLD, join(dir, 'graph.lock')], { stdin: 'pipe' });
  holder = started;
  await new Promise<void>((resolve, reject) => {
    started.stdout?.once('data', () => resolve());
    started.catch(reject);
  });
}

describe("upstream's graph.lock without flock(1): perl takes it", () => {
  it('takes the lock (held for upstream until released), with a PATH that has perl and no flock', () => {
    process.env.PATH = pathWith({ perl: PERL });
    const lock = lockGraphSync(dir, 2000);
    expect(heldByOthers()).toBe(true);
    lock.release();
    expect(heldByOthers()).toBe(false);
  });

  it('waits while upstream holds it and says so when the wait runs out; takes it once upstream lets go', async () => {
    process.env.PATH = pathWith({ perl: PERL });
    await upstreamHolds();
    expect(() => lockGraphSync(dir, 300)).toThrow('graph.jsonl stayed locked by another program for 0 s');
    await expect(lockGraph(dir, 300)).rejects.toThrow(/stayed locked by another program/);
    const waiting = lockGraph(dir, 10_000);
    holder?.stdin?.end();
    const lock = await waiting;
    expect(heldByOthers()).toBe(true);
    lock.release();
    expect(heldByOthers()).toBe(false);
  });

  it('says in one line that neither program is there, with a PATH that has neither', async () => {
    process.env.PATH = pathWith({});
    const message = 'neither the flock program (util-linux) nor perl is installed, so graph.jsonl cannot be locked as upstream locks it';
    expect(() => lockGraphSync(dir, 300)).toThrow(message);
    await expect(lockGraph(dir, 300)).rejects.toThrow(message);
  });

  it("a wg command's change reaches graph.jsonl through perl's lock", async () => {
    writeFileSync(join(dir, 'graph.jsonl'), `${JSON.stringify({ kind: 'task', id: 'a', title: 'A', status: 'open' })}\n`);
    const env = { WG_HOME: join(root, '.home'), WG_DIR: '', WG_AGENT_ID: '', PATH: pathWith({ perl: PERL }) };
    const added = await execa(process.execPath, [WG_BIN, 'add', 'B', '--id', 'b', '--after', 'a'], { cwd: root, env, extendEnv: false });
    expect(added.stderr).not.toMatch(/not synced/);
    const lines = readFileSync(join(dir, 'graph.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as { id: string; after?: string[] })).toContainEqual(
      expect.objectContaining({ id: 'b', after: ['a'] }),
    );
  });
});

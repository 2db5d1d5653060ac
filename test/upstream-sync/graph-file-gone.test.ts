import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/*
 * graph.jsonl deleted (or a branch without it checked out) stops the sync: this app's changes stay in graph.db and
 * upstream's wg finds no graph. Each command says so, and the file put back is taken in as any version is.
 */
let p: TempProject;
const gone =
  "wg: graph.jsonl is gone from .wg/: upstream's wg finds no graph there, and this app's changes wait in graph.db until it is back (git checkout -- .wg/graph.jsonl; or wg export --upstream --out graph.jsonl, then move that file into .wg/)";

beforeEach(() => {
  p = new TempProject('wg-graph-gone-');
});
afterEach(() => p.remove());

describe('graph.jsonl gone from an upstream project', () => {
  it('is said by each command, which still works on graph.db, and the file put back is synced again', async () => {
    mkdirSync(join(p.root, '.wg'));
    writeFileSync(join(p.root, '.wg', 'graph.jsonl'), `${JSON.stringify({ kind: 'task', id: 'a', title: 'A', status: 'open' })}\n`);
    await p.ok(['list']);
    rmSync(join(p.root, '.wg', 'graph.jsonl'));
    const listed = await p.wg(['list']);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain('a  open');
    expect(listed.stderr).toBe(gone);
    const added = await p.wg(['add', 'B', '--id', 'b']);
    expect(added.exitCode).toBe(0);
    expect(added.stderr).toBe(gone);

    await p.ok(['export', '--upstream', '--out', 'graph.jsonl']);
    renameSync(join(p.root, 'graph.jsonl'), join(p.root, '.wg', 'graph.jsonl'));
    const again = await p.wg(['list']);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/a {2}open[\s\S]*b {2}open/);
  });

  it("is nothing to a project of this app's own, which never had one", async () => {
    await p.ok(['init']);
    await p.ok(['add', 'X', '--id', 'x']);
    expect((await p.wg(['list'])).stderr).toBe('');
  });
});

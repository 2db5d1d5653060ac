import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/*
 * A `wg init` that fails leaves the folder as it found it: its flags are checked before anything is
 * made, and what it made before failing part way is removed, never what was there before it.
 */

const projects: TempProject[] = [];
afterAll(() => {
  for (const p of projects) p.remove();
});

function project(): TempProject {
  const p = new TempProject('wg-init-fail-');
  projects.push(p);
  return p;
}

/** A global config that does not parse: `wg config` refuses to write beside it, after init has made the folder. */
function breakGlobalConfig(p: TempProject): void {
  mkdirSync(p.home, { recursive: true });
  writeFileSync(join(p.home, 'config.toml'), 'not [ toml\n');
}

describe('wg init that fails', () => {
  it('refuses a bad -m or -x in one line and makes nothing', async () => {
    const p = project();
    for (const args of [
      ['init', '-m', ''],
      ['init', '-x', 'no-such-executor'],
    ]) {
      const result = await p.wg(args);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(existsSync(join(p.root, '.workgraph')), args.join(' ')).toBe(false);
    }
    // Nothing half-made is taken for a project afterwards.
    expect((await p.wg(['init'])).stdout).toContain('Initialized workgraph');
  });

  it('failing part way, removes the folder it made', async () => {
    const p = project();
    breakGlobalConfig(p);
    const result = await p.wg(['init', '-m', 'sonnet']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('config.toml');
    expect(existsSync(join(p.root, '.workgraph'))).toBe(false);
  });

  it("failing part way in upstream's folder, removes what it made there and keeps upstream's graph", async () => {
    const p = project();
    const wg = join(p.root, '.wg');
    mkdirSync(wg);
    const graph = `${JSON.stringify({ kind: 'task', id: 't1', title: 'Theirs', status: 'open' })}\n`;
    writeFileSync(join(wg, 'graph.jsonl'), graph);
    breakGlobalConfig(p);
    expect((await p.wg(['init', '-m', 'sonnet'])).exitCode).toBe(1);
    expect(readdirSync(wg)).toEqual(['graph.jsonl']);
    expect(readFileSync(join(wg, 'graph.jsonl'), 'utf8')).toBe(graph);
  });

  it('failing in a project that was there, leaves its graph and config as they were', async () => {
    const p = project();
    await p.ok(['init']);
    await p.ok(['add', 'Kept']);
    const config = join(p.root, '.workgraph/config.toml');
    writeFileSync(config, '[coordinator]\nmax_agents = 2\n');
    const before = readdirSync(join(p.root, '.workgraph')).sort();
    breakGlobalConfig(p);
    expect((await p.wg(['init', '-m', 'sonnet'])).exitCode).toBe(1);
    expect(readdirSync(join(p.root, '.workgraph')).sort()).toEqual(before);
    expect(readFileSync(config, 'utf8')).toBe('[coordinator]\nmax_agents = 2\n');
    expect((await p.json<Array<{ id: string }>>(['list'])).map((t) => t.id)).toEqual(['kept']);
  });
});

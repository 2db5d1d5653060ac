import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverExecutors } from '../../src/core/executors/discovery';
import { whichDir } from '../../src/cli/which-command';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg executors` against upstream's cases (graphwork/workgraph src/executor_discovery.rs `mod tests`), each named in
 * its `it`, and `wg which` against upstream's resolver steps (src/main.rs Commands::Which; upstream has no test of it).
 * Upstream's executors are native, claude, codex and gemini; here they are this app's own executor types.
 */

describe('wg executors (upstream executor_discovery.rs)', () => {
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'wg-bin-'));
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));
  const program = (name: string) => {
    const file = join(bin, name);
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
    return file;
  };

  it('native_is_always_available: the executors that start no program here are usable, with no binary', () => {
    for (const name of ['http', 'remote', 'external', 'manual']) {
      expect(discoverExecutors({ PATH: bin }).find((e) => e.name === name)).toMatchObject({ available: true, binary_path: null });
    }
  });

  it('discover_returns_all_executors: every executor type this app starts, none it does not', () => {
    const names = discoverExecutors({ PATH: bin }).map((e) => e.name);
    expect(names).toEqual(['claude', 'codex', 'amplifier', 'shell', 'http', 'remote', 'external', 'manual']);
    expect(names).not.toContain('native');
  });

  it('which_on_path_finds_common_shell_builtin_location: a program found on PATH, with its path; one not there is not usable', () => {
    const claude = program('claude');
    writeFileSync(join(bin, 'codex'), 'not runnable');
    const found = discoverExecutors({ PATH: bin });
    expect(found.find((e) => e.name === 'claude')).toMatchObject({ available: true, binary_path: claude });
    expect(found.find((e) => e.name === 'codex')).toMatchObject({ available: false, binary_path: null });
  });

  it("the executors' own override variables are read (WG_CLAUDE_BIN), and a path given there must be there", () => {
    const mine = program('my-claude');
    expect(discoverExecutors({ PATH: '', WG_CLAUDE_BIN: mine }).find((e) => e.name === 'claude')?.binary_path).toBe(mine);
    expect(discoverExecutors({ PATH: '', WG_CLAUDE_BIN: join(bin, 'gone') }).find((e) => e.name === 'claude')?.available).toBe(false);
  });

  it("available_filters_to_usable_only: without --all only usable ones; --all lists every one, in upstream's line", async () => {
    const p = new InProcessProject('wg-executors-');
    try {
      await p.ok(['init']);
      program('claude');
      const env = { PATH: `${bin}:/usr/bin:/bin`, WG_CLAUDE_BIN: '', WG_CODEX_BIN: '', WG_AMPLIFIER_BIN: '' };
      const usable = await p.json<Array<{ name: string; available: boolean }>>(['executors'], env);
      expect(usable.every((e) => e.available)).toBe(true);
      expect(usable.map((e) => e.name)).toContain('claude');
      expect(usable.map((e) => e.name)).not.toContain('codex');
      const all = await p.ok(['executors', '--all'], env);
      expect(all).toContain(`\u2713 claude       Claude CLI (Anthropic) via stream-json [${join(bin, 'claude')}]`);
      expect(all).toContain('\u2717 codex        OpenAI Codex CLI (`codex app-server`)\n');
    } finally {
      p.remove();
    }
  });
});

describe("wg which (upstream main.rs Commands::Which's resolver steps)", () => {
  let root: string;
  let savedWgDir: string | undefined;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-which-')));
    savedWgDir = process.env.WG_DIR;
    delete process.env.WG_DIR;
  });
  afterEach(() => {
    if (savedWgDir === undefined) delete process.env.WG_DIR;
    else process.env.WG_DIR = savedWgDir;
    rmSync(root, { recursive: true, force: true });
  });

  it('walked up from cwd: the nearest .wg or .workgraph above', () => {
    mkdirSync(join(root, '.wg'));
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    expect(whichDir(undefined, join(root, 'a', 'b'))).toEqual({
      dir: join(root, '.wg'),
      reason: `walked up from cwd and found ${join(root, '.wg')}`,
      exists: true,
    });
  });

  it('--dir flag, then WG_DIR env var, win over the walk; a folder not there yet is noted', () => {
    mkdirSync(join(root, '.wg'));
    expect(whichDir(join(root, 'other'), root)).toEqual({ dir: join(root, 'other', '.workgraph'), reason: '--dir flag', exists: false });
    process.env.WG_DIR = join(root, 'env');
    expect(whichDir(undefined, root)).toMatchObject({
      dir: join(root, 'env', '.workgraph'),
      reason: `WG_DIR env var (${join(root, 'env')})`,
    });
  });

  it('default: none found, the folder `wg init` would make here, said not to exist yet; through the CLI, exit 0', async () => {
    expect(whichDir(undefined, root)).toEqual({
      dir: join(root, '.workgraph'),
      reason: 'default ./.workgraph (does not exist yet — run `wg init` to create)',
      exists: false,
    });
    const p = new InProcessProject('wg-which-cli-');
    try {
      const out = await p.ok(['which']);
      expect(out.trimEnd()).toBe(`${join(p.root, '.workgraph')}\n  reason: --dir flag\n  note: this directory does not exist yet`);
    } finally {
      p.remove();
    }
  });
});

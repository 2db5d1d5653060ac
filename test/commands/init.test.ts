import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, wgInProcess } from '../helpers/wg-cli';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg init` against upstream's own cases (graphwork/workgraph src/commands/init.rs `mod tests`), each named in its
 * `it`; its .gitignore cases are in test/cli/init-gitignore.test.ts. Upstream's `run` is given the folder itself
 * (`.wg`); here that is `wg --dir ROOT/.wg init` (a plain `wg init` makes `.workgraph/`).
 *
 * not ported:
 * - test_creates_graph_jsonl: the graph is graph.db, and a folder with no graph.jsonl is never given one
 *   (docs/upstream.md, "One graph, two tools").
 * - test_full_agency_init: init makes no agency here, `wg agency init` does (`--no-agency` is accepted for upstream's
 *   sake; docs/commands.md).
 * - the endpoint half of test_model_and_endpoint_write_config, test_endpoint_rejects_non_http: `wg init -e/--endpoint`
 *   is not here (a model's endpoint is `wg model add … --endpoint`; docs/upstream.md, "Not here").
 * - test_cli_init_records_to_launcher_history, test_cli_init_records_canonical_executor_for_nex: upstream's TUI
 *   launcher history is not here.
 * differs, not fixed:
 * - test_fails_if_already_initialized: a second `wg init` here says "Workgraph already initialized in DIR" and exits
 *   0, changing nothing (test/cli/init-gitignore.test.ts holds it so); upstream's fails.
 */

let p: InProcessProject;
beforeEach(() => {
  p = new InProcessProject('wg-init-');
});
afterEach(() => p.remove());

/** `wg --dir DIR init ARGS`: upstream's `run(dir, …)`, the folder named itself. */
const initAt = (dir: string, args: string[] = []): Promise<CliResult> =>
  wgInProcess(['--dir', dir, 'init', ...args], {
    cwd: p.root,
    env: { WG_HOME: p.home, WG_DIR: '', WG_AGENT_ID: '', WG_RUN_ID: '' },
  });

describe('wg init (upstream init.rs)', () => {
  it('test_creates_workgraph_directory', async () => {
    const wgDir = join(p.root, '.wg');
    const result = await initAt(wgDir);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n').at(-1)).toBe(`Initialized workgraph in ${wgDir}`);
    expect(statSync(wgDir).isDirectory()).toBe(true);
  });

  it('test_no_agency_flag: the folder and its graph are made, and no agency', async () => {
    const wgDir = join(p.root, '.wg');
    expect((await initAt(wgDir, ['--no-agency', '-x', 'shell'])).exitCode).toBe(0);
    expect(existsSync(join(wgDir, 'graph.db'))).toBe(true);
    expect(existsSync(join(wgDir, 'agency'))).toBe(false);
    expect(await p.json<unknown[]>(['list'])).toEqual([]);
  });

  it('test_new_wg_dir_basename_lands_in_gitignore', async () => {
    expect((await initAt(join(p.root, '.wg'), ['--no-agency'])).exitCode).toBe(0);
    const lines = readFileSync(join(p.root, '.gitignore'), 'utf8').split('\n');
    expect(lines).toContain('.wg');
    expect(lines).not.toContain('.workgraph');
  });

  it('test_refuses_when_sibling_workgraph_exists: a .wg beside .workgraph would hide it, and the other way round', async () => {
    mkdirSync(join(p.root, '.workgraph'));
    const refused = await initAt(join(p.root, '.wg'), ['--no-agency']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(join(p.root, '.workgraph'));
    expect(readdirSync(p.root).sort()).toEqual(['.workgraph']);

    const other = new InProcessProject('wg-init-');
    try {
      mkdirSync(join(other.root, '.wg'));
      const result = await wgInProcess(['--dir', join(other.root, '.workgraph'), 'init'], {
        cwd: other.root,
        env: { WG_HOME: other.home, WG_DIR: '', WG_AGENT_ID: '', WG_RUN_ID: '' },
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain(join(other.root, '.wg'));
      expect(readdirSync(other.root).sort()).toEqual(['.wg']);
    } finally {
      other.remove();
    }
  });

  it('test_model_and_endpoint_write_config (the model; -e is not here): -x and -m are the project’s defaults', async () => {
    expect((await initAt(join(p.root, '.wg'), ['--no-agency', '-x', 'shell', '-m', 'nemotron-h-8b'])).exitCode).toBe(0);
    const settings = await p.json<Array<{ key: string; value: unknown; source: string }>>(['config', '--list']);
    expect(settings.find((s) => s.key === 'coordinator.model')).toMatchObject({ value: 'nemotron-h-8b', source: 'local' });
    expect(settings.find((s) => s.key === 'coordinator.executor')).toMatchObject({ value: 'shell', source: 'local' });
  });
});

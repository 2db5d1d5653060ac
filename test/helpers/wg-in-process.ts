import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, wgInProcess } from './wg-cli';

/**
 * `wg ARGS` run in this process through the real command table (commander, the op registry, dispatch, the
 * formatters), against a project folder on disk: what `bin/wg.js` does, without starting Node again. For the
 * cases where the process itself is not what is tested; TempProject (wg-cli.ts) starts the real one.
 * Not for a folder with an upstream graph.jsonl: its sync takes upstream's lock with flock(1), a process.
 */
export class InProcessProject {
  readonly root: string;
  readonly home: string;

  constructor(prefix = 'wg-inproc-') {
    this.root = mkdtempSync(join(tmpdir(), prefix));
    this.home = join(this.root, '.home');
  }

  /** Runs `wg ARGS` against this folder (its `--dir`); never throws on a failure, which is in the result. */
  wg(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return wgInProcess(['--dir', this.root, ...args], {
      cwd: this.root,
      env: { WG_HOME: this.home, WG_DIR: '', WG_AGENT_ID: '', WG_RUN_ID: '', WG_AGENTD_RELAY: '', ...env },
    });
  }

  /** Like `wg` but fails the test on a nonzero exit. */
  async ok(args: string[], env: Record<string, string> = {}): Promise<string> {
    const result = await this.wg(args, env);
    if (result.exitCode !== 0) throw new Error(`wg ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
    return result.stdout;
  }

  /** `wg ARGS --json`, parsed; fails the test on a nonzero exit. */
  async json<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
    return JSON.parse(await this.ok([...args, '--json'], env)) as T;
  }

  /** Tasks in any upstream state, as an upstream graph.jsonl holds them, through `wg import`. */
  async importTasks(lines: Array<Record<string, unknown>>): Promise<void> {
    const file = join(this.root, `import-${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(file, lines.map((line) => JSON.stringify({ kind: 'task', title: `Task ${String(line.id)}`, ...line })).join('\n'));
    await this.ok(['import', file]);
    rmSync(file);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

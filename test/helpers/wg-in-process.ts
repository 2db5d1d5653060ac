import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../../src/cli/program';
import { WgError } from '../../src/shared/errors';
import { plainFailure } from '../../src/shared/plain-failure';
import { plainText } from '../../src/core/text/plain-text';
import type { CliResult } from './wg-cli';

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
  async wg(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    const saved = { ...process.env };
    const savedExitCode = process.exitCode;
    const out: string[] = [];
    const err: string[] = [];
    const writeOut = process.stdout.write;
    const writeErr = process.stderr.write;
    const exit = process.exit;
    Object.assign(process.env, { WG_HOME: this.home, WG_DIR: '', WG_AGENT_ID: '', WG_RUN_ID: '', WG_AGENTD_RELAY: '' }, env);
    process.exitCode = undefined;
    process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
    process.exit = ((code?: number) => {
      throw new ExitCalled(code ?? 0);
    }) as typeof process.exit;
    let exitCode = 0;
    try {
      await runProgram(['node', 'wg', '--dir', this.root, ...args]);
      exitCode = Number(process.exitCode ?? 0);
    } catch (error) {
      if (error instanceof ExitCalled) exitCode = error.code;
      else {
        // As main.ts's fail(): one line, 3 for a task that is not there, else 1.
        const message =
          error instanceof WgError ? error.message : (plainFailure(error) ?? (error instanceof Error ? error.message : String(error)));
        err.push(`wg: ${plainText(message.split('\n')[0] ?? '')}\n`);
        exitCode = error instanceof WgError && error.code === 'not_found' ? 3 : 1;
      }
    } finally {
      process.stdout.write = writeOut;
      process.stderr.write = writeErr;
      process.exit = exit;
      process.exitCode = savedExitCode;
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    return { stdout: out.join('').replace(/\n$/, ''), stderr: err.join('').replace(/\n$/, ''), exitCode };
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

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

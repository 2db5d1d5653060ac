import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

export const REPO = resolve(import.meta.dirname, '../..');
export const WG_BIN = join(REPO, 'bin/wg.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A temporary project folder with its own global home, so tests never touch the real one. */
export class TempProject {
  readonly root: string;
  readonly home: string;

  constructor(prefix = 'wg-test-') {
    this.root = mkdtempSync(join(tmpdir(), prefix));
    this.home = join(this.root, '.home');
  }

  get env(): Record<string, string> {
    return { WG_HOME: this.home, WG_DIR: '', WG_AGENT_ID: '' };
  }

  /** Runs `wg ARGS` in the project folder; never throws on a nonzero exit. */
  async wg(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
    const result = await execa('node', [WG_BIN, ...args], {
      cwd: options.cwd ?? this.root,
      env: { ...this.env, ...options.env },
      reject: false,
    });
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
  }

  /** Like `wg` but fails the test on a nonzero exit, and parses `--json` output. */
  async json<T>(args: string[]): Promise<T> {
    const result = await this.wg([...args, '--json']);
    if (result.exitCode !== 0) throw new Error(`wg ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  async ok(args: string[]): Promise<string> {
    const result = await this.wg(args);
    if (result.exitCode !== 0) throw new Error(`wg ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
    return result.stdout;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { runWg } from '../../src/cli/run-wg';
import type { CliIo } from '../../src/cli/cli-io';

export const REPO = resolve(import.meta.dirname, '../..');
export const WG_BIN = join(REPO, 'bin/wg.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface WgOptions {
  cwd: string;
  /** Added to this process's environment, as a child process would get it (execa's `env`). */
  env?: Record<string, string>;
  /** false: `env` is the whole environment instead (execa's `extendEnv: false`). */
  extendEnv?: boolean;
  /** Standard input (`--stdin`). */
  input?: string;
}

/** One at a time: a command runs with the environment and folder it was given, which are this process's. */
let running: Promise<unknown> = Promise.resolve();

/**
 * `wg ARGS` run in this process through the bin's own entry (src/cli/run-wg.ts): the same parsing, the same
 * operation, the same bytes on stdout and stderr and the same exit code as `node bin/wg.js ARGS` (its output as
 * execa gives it: without the final newline). The environment and working folder are set for the command and
 * put back after it; commands given at once run one after another. A test of what an operation does uses
 * this; a test of the process itself (its start, a pipe, a signal, processes at once) starts `wgProcess`.
 */
export function wgInProcess(args: readonly string[], options: WgOptions): Promise<CliResult> {
  const result = running.then(() => runInProcess(args, options));
  running = result.catch(() => undefined);
  return result;
}

async function runInProcess(args: readonly string[], options: WgOptions): Promise<CliResult> {
  const env = { ...process.env };
  const cwd = process.cwd();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    readStdin: () => options.input ?? '',
    exitCode: 0,
  };
  if (options.extendEnv === false) for (const key of Object.keys(process.env)) delete process.env[key];
  setEnvironment(options.env ?? {});
  process.chdir(options.cwd);
  try {
    const exitCode = await runWg(args, io);
    return { stdout: withoutFinalNewline(stdout.join('')), stderr: withoutFinalNewline(stderr.join('')), exitCode };
  } finally {
    process.chdir(cwd);
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    setEnvironment(env);
  }
}

/**
 * Sets only the variables whose value differs: each write to process.env is a setenv of the whole process, and
 * putting back all of a hundred variables around every in-process `wg` took 2% of the unit layer's CPU.
 */
function setEnvironment(values: Readonly<Record<string, string | undefined>>): void {
  for (const [key, value] of Object.entries(values)) if (value !== undefined && process.env[key] !== value) process.env[key] = value;
}

function withoutFinalNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
}

/** `node bin/wg.js ARGS`: a real process, for tests where the process is the point. Never throws on a nonzero exit. */
async function wgProcess(args: readonly string[], options: WgOptions): Promise<CliResult> {
  const result = await execa('node', [WG_BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.extendEnv,
    input: options.input,
    reject: false,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
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

  /** Runs `wg ARGS` in the project folder, in this process (`wgInProcess`); never throws on a nonzero exit. */
  wg(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<CliResult> {
    return wgInProcess(args, { cwd: options.cwd ?? this.root, env: { ...this.env, ...options.env }, input: options.input });
  }

  /** Runs `wg ARGS` in the project folder as a real process (`wgProcess`); never throws on a nonzero exit. */
  wgProcess(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<CliResult> {
    return wgProcess(args, { cwd: options.cwd ?? this.root, env: { ...this.env, ...options.env }, input: options.input });
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

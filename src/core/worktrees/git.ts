import { statSync } from 'node:fs';
import { execa } from 'execa';
import { WgError } from '../../shared/errors';
import { gitEnv } from './git-env';

export interface GitOptions {
  /** Text given on stdin. */
  input?: string;
  /** Added to the environment (GIT_INDEX_FILE for a private index, identity fallbacks). */
  env?: Record<string, string>;
  /** Exit codes that are answers, not failures (`merge-tree` exits 1 on a conflict, `diff --quiet` on a difference). */
  okCodes?: readonly number[];
}

export interface GitResult {
  stdout: string;
  exitCode: number;
}

/** The first line git printed that says something, for a one-line error. */
function firstLine(text: string): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  return line.replace(/^(fatal|error): /, '');
}

/**
 * Why git did not start, in plain words: the process's own error names neither (ENOENT is said both of a missing
 * program and of a missing working folder, which is what a worktree removed by hand gives).
 */
function notStarted(cwd: string, code: string | undefined): WgError {
  const folder = folderProblem(cwd);
  if (folder) return new WgError('conflict', `${cwd} ${folder}`);
  if (code === 'ENOENT') return new WgError('unavailable', 'git is not installed (or not on PATH)');
  return new WgError('unavailable', `git could not be started in ${cwd}${code ? ` (${code})` : ''}`);
}

function folderProblem(path: string): string | null {
  try {
    return statSync(path).isDirectory() ? null : 'is not a folder';
  } catch {
    return 'does not exist (removed?)';
  }
}

/**
 * Runs `git ARGS` in `cwd` and returns its stdout. A failure becomes a WgError with git's own first
 * line (git's messages are already written for people: "not a git repository", "invalid reference").
 */
export async function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  const result = await execa('git', args, {
    cwd,
    input: options.input,
    env: gitEnv(options.env),
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 256 * 1024 * 1024,
  });
  const exitCode = result.exitCode ?? -1;
  if (exitCode === 0 || options.okCodes?.includes(exitCode)) return { stdout: String(result.stdout), exitCode };
  if (result.failed && result.exitCode === undefined) throw notStarted(cwd, (result as { code?: string }).code);
  const said = firstLine(String(result.stderr)) || firstLine(String(result.stdout)) || `exit code ${exitCode}`;
  throw new WgError('conflict', `git ${args[0] ?? ''}: ${said}`);
}

/** `git ARGS` trimmed, for commands that print one value (a commit id, a path). */
export async function gitValue(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  return (await git(cwd, args, options)).stdout.trim();
}

/** NUL-separated output (`-z`) as a list, without the empty tail. */
export function splitNul(text: string): string[] {
  return text.split('\0').filter((part) => part.length > 0);
}

/**
 * `git ARGS` with its stdout written to `file` byte for byte (a blob's content: `cat-file blob`), where a
 * string would mangle bytes that are not UTF-8.
 */
export async function gitToFile(cwd: string, args: readonly string[], file: string): Promise<void> {
  const result = await execa('git', args, { cwd, env: gitEnv(undefined), reject: false, stdout: { file }, stripFinalNewline: false });
  if (result.exitCode !== 0)
    throw new WgError('conflict', `git ${args[0] ?? ''}: ${firstLine(String(result.stderr)) || `exit code ${String(result.exitCode)}`}`);
}

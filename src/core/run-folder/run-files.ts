import { existsSync, readFileSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { sep } from 'node:path';
import type { OutputFormat } from '../executors/launch';
import type { RunKind } from '../deciding/scheduler-types';
import { replaceFile } from '../files/no-follow';

/**
 * The small files of one run in `runs/<agent-id>/`, beside the run log. They outlive the daemon,
 * so a restarted coordinator can tell what happened while it was away.
 */
export interface RunFiles {
  dir: string;
  stdin: string;
  stdout: string;
  stderr: string;
  /** Written by the wrapper shell when the command ends: its exit status and a newline. */
  exit: string;
  /** Written when the run starts: the pid of its wrapper (= the process group id). */
  pid: string;
  /** How far stdout/stderr have been turned into run-log events. */
  tail: string;
  /** The run's cgroup folder, when it has one (written before it starts). */
  cgroup: string;
  /** The working folder's state when the run started (for the no-work rule). */
  baseline: string;
}

export function runFiles(dir: string): RunFiles {
  // No `join` (it normalizes every path): the names are plain, and every claim builds these.
  const at = (name: string) => `${dir}${sep}${name}`;
  return {
    dir,
    stdin: at('stdin'),
    stdout: at('stdout'),
    stderr: at('stderr'),
    exit: at('exit'),
    pid: at('pid'),
    tail: at('tail.json'),
    cgroup: at('cgroup'),
    baseline: at('baseline.json'),
  };
}

/** How a run was started: stored with its agent (`agents.launch`) in the claim's transaction. */
export interface LaunchRecord {
  kind: RunKind;
  output: OutputFormat;
  /** Session given to `--resume`, if this run continues an earlier one. */
  resumed_session: string | null;
  timeout_s: number | null;
  /** An AI agent's run: exit 0 without reporting done counts only with evidence of work (shell tasks: exit 0 is done). */
  needs_evidence: boolean;
  /** The folder it works in (its worktree, or the project folder it shares); null when not known (older records). */
  cwd?: string | null;
  /** Its messages are handed to it after its tool calls (executors' getsMessageHooks); absent in records from before. */
  message_hooks?: boolean;
  /**
   * Its run folder, on a team's graph, where another folder's coordinator may take the run over: a holder on the
   * same machine (or a shared disk) reads its output and exit status there.
   */
  run_dir?: string | null;
}

export interface TailPosition {
  stdout: number;
  stderr: number;
  /** Run-log events written up to these offsets; more on disk means a crash mid-batch. */
  events: number;
}

function readJson(path: string): unknown {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function parseLaunchRecord(json: string | null): LaunchRecord | null {
  let value: unknown = null;
  try {
    value = json === null ? null : JSON.parse(json);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  const kind = value.kind === 'http' || value.kind === 'external' || value.kind === 'remote' ? value.kind : 'process';
  const output = value.output === 'claude-stream-json' || value.output === 'codex-json' ? value.output : 'plain';
  return {
    kind,
    output,
    resumed_session: typeof value.resumed_session === 'string' ? value.resumed_session : null,
    timeout_s: typeof value.timeout_s === 'number' ? value.timeout_s : null,
    needs_evidence: value.needs_evidence === true,
    cwd: typeof value.cwd === 'string' ? value.cwd : null,
    ...(typeof value.run_dir === 'string' ? { run_dir: value.run_dir } : {}),
  };
}

export function readTailPosition(files: RunFiles): TailPosition {
  const value = readJson(files.tail);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return isObject(value)
    ? { stdout: num(value.stdout), stderr: num(value.stderr), events: num(value.events) }
    : { stdout: 0, stderr: 0, events: 0 };
}

export function writeTailPosition(files: RunFiles, position: TailPosition): void {
  replaceFile(files.tail, JSON.stringify(position));
}

/** The exit status the wrapper wrote, or null while the command runs (or if it never finished). */
export function readExitStatus(files: RunFiles): number | null {
  const text = readSmallFile(files.exit);
  if (text === null) return null;
  // Only a complete line counts: the shell may be between opening and writing the file.
  if (!text.endsWith('\n')) return null;
  const status = Number.parseInt(text.trim(), 10);
  return Number.isInteger(status) ? status : null;
}

export function readRecordedPid(files: RunFiles): number | null {
  if (!existsSync(files.pid)) return null;
  const pid = Number.parseInt(readFileSync(files.pid, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 1 ? pid : null;
}

/** The run's cgroup folder, or null when it has none. */
export function readRunCgroup(files: RunFiles): string | null {
  const path = readSmallFile(files.cgroup)?.trim() ?? '';
  return path === '' ? null : path;
}

/**
 * Whether the run joined the cgroup it was given. The note is written only once the join succeeded
 * (wrapper.ts: `join && note`), and always names that cgroup: its presence is the
 * answer, one access(2) where reading it took an open, a read and a close.
 */
export function joinedRunCgroup(files: RunFiles): boolean {
  return existsSync(files.cgroup);
}

/** A small file's text (an exit status, a cgroup's path), or null when it is not there. */
function readSmallFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** The last `bytes` of a file (the end of stderr for a failure reason). */
export function readFileTail(path: string, bytes = 4096): string {
  if (!existsSync(path)) return '';
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(bytes, size);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

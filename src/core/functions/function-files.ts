import { closeSync, existsSync, mkdirSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { WgError, errorText } from '../../shared/errors';
import type { RunSummary, TraceFunction } from '../../shared/functions';
import type { JsonValue } from '../../shared/task';
import { openAppendNoFollow, replaceFile } from '../files/no-follow';
import { writeOutputFile } from '../files/output-file';
import { functionYaml, readFunction } from './function-format';

/*
 * Where upstream keeps functions: `functions/<id>.yaml` in the workgraph folder (`.wg/` or
 * `.workgraph/`), each application recorded as a line of `functions/<id>.runs.jsonl`.
 */

export const functionsDir = (wgDir: string) => join(wgDir, 'functions');
export const runsFile = (funcDir: string, id: string) => join(funcDir, `${id}.runs.jsonl`);

/** Where a YAML parser stopped, as a person reads it: "(line 2)", or nothing when it does not say. */
function yamlLine(error: unknown): string {
  const line = error instanceof YAMLParseError ? error.linePos?.[0]?.line : undefined;
  return line === undefined ? '' : ` (line ${line})`;
}

/** One function file, read and checked; what is wrong with it in one line, naming it as `label` (its path unless given). */
export function loadFunction(path: string, label = path): TraceFunction {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WgError('not_found', `File not found: ${label}`);
    throw new WgError('invalid', `cannot read ${label}: ${code ?? errorText(error)}`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new WgError('invalid', `${label} is not valid YAML${yamlLine(error)}`);
  }
  const read = readFunction(value);
  if (!read.ok) throw new WgError('invalid', `${label} is not a function file (${read.problem})`);
  return read.func;
}

/**
 * Writes the function as `path`, whole (never a half-written file, never through a link); one a person named
 * (`--output`) as an output path is written (files/output-file.ts: /dev/stdout through its link, a FIFO in place).
 */
export function saveFunctionAt(func: TraceFunction, path: string, named = false): void {
  mkdirSync(dirname(path), { recursive: true });
  if (named) writeOutputFile(path, functionYaml(func), 0o644);
  else replaceFile(path, functionYaml(func));
}

/** A file of the folder that could not be read as a function: its name without `.yaml`, and why in one line. */
interface BrokenFile {
  stem: string;
  problem: WgError;
}

/** Each `*.yaml` of the folder read, by id, and the files that are not functions (none when it is missing). */
function readFolder(funcDir: string): { functions: TraceFunction[]; broken: BrokenFile[] } {
  if (!existsSync(funcDir)) return { functions: [], broken: [] };
  const functions: TraceFunction[] = [];
  const broken: BrokenFile[] = [];
  for (const name of readdirSync(funcDir).filter((n) => n.endsWith('.yaml'))) {
    try {
      functions.push(loadFunction(join(funcDir, name), `${basename(funcDir)}/${name}`));
    } catch (error) {
      if (!(error instanceof WgError)) throw error;
      broken.push({ stem: name.slice(0, -'.yaml'.length), problem: error });
    }
  }
  functions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { functions, broken };
}

/**
 * Every function of the folder, by id (upstream's load_all_functions). A file that is not one is
 * left out, said in one line to `warn`: one bad file does not hide the others.
 */
export function loadAllFunctions(funcDir: string, warn?: (line: string) => void): TraceFunction[] {
  const { functions, broken } = readFolder(funcDir);
  for (const file of broken) warn?.(file.problem.message);
  return functions;
}

/**
 * The one function whose id starts with `prefix`, in upstream's words when none or several do. A file
 * that is not a function counts by its name: when it is the one matched, what is wrong with it is the answer.
 */
export function findFunctionByPrefix(funcDir: string, prefix: string): TraceFunction {
  const { functions, broken } = readFolder(funcDir);
  const matches = functions.filter((f) => f.id.startsWith(prefix));
  const brokenMatches = broken.filter((b) => b.stem.startsWith(prefix));
  const count = matches.length + brokenMatches.length;
  if (count === 0) throw new WgError('not_found', `No function matching '${prefix}'`);
  if (count > 1) {
    const names = [...matches.map((f) => f.id), ...brokenMatches.map((b) => b.stem)];
    throw new WgError('invalid', `Prefix '${prefix}' matches ${count} functions: ${names.join(', ')}`);
  }
  if (brokenMatches[0]) throw brokenMatches[0].problem;
  return matches[0] as TraceFunction;
}

/** A whole run summary (`instantiated_at` is upstream's older name of `applied_at`), or null. */
function runSummary(value: unknown): RunSummary | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const appliedAt = typeof v.applied_at === 'string' ? v.applied_at : v.instantiated_at;
  if (typeof appliedAt !== 'string' || typeof v.prefix !== 'string' || typeof v.all_succeeded !== 'boolean') return null;
  return { inputs: {}, task_outcomes: [], interventions: [], ...(v as Partial<RunSummary>), applied_at: appliedAt } as RunSummary;
}

/**
 * The past runs upstream's `load_runs` reads: the lines that are whole run summaries (an application's
 * own record, which has no outcome yet, is not one), the last `max` when given.
 */
export function loadRuns(path: string, max?: number): RunSummary[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const runs: RunSummary[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const run = runSummary(JSON.parse(line));
      if (run) runs.push(run);
    } catch {
      // A line being written, or not a run: skipped, as upstream skips it.
    }
  }
  return max !== undefined && runs.length > max ? runs.slice(runs.length - max) : runs;
}

/** Appends one record to the function's runs file (upstream's append_run_record). */
export function appendRunRecord(funcDir: string, id: string, record: Record<string, JsonValue>): void {
  mkdirSync(funcDir, { recursive: true });
  const fd = openAppendNoFollow(runsFile(funcDir, id), 0o644);
  try {
    writeSync(fd, `${JSON.stringify(record)}\n`);
  } finally {
    closeSync(fd);
  }
}

import { closeSync, existsSync, mkdirSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { WgError, errorText } from '../../shared/errors';
import type { RunSummary, TraceFunction } from '../../shared/functions';
import type { JsonValue } from '../../shared/task';
import { openAppendNoFollow, replaceFile } from '../files/no-follow';
import { functionYaml, readFunction } from './function-format';

/*
 * Where upstream keeps functions: `functions/<id>.yaml` in the workgraph folder (`.wg/` or
 * `.workgraph/`), each application recorded as a line of `functions/<id>.runs.jsonl`.
 */

export const functionsDir = (wgDir: string) => join(wgDir, 'functions');
export const runsFile = (funcDir: string, id: string) => join(funcDir, `${id}.runs.jsonl`);

/** One function file, read and checked; what is wrong with it in one line. */
export function loadFunction(path: string): TraceFunction {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WgError('not_found', `File not found: ${path}`);
    throw new WgError('invalid', `cannot read ${path}: ${code ?? errorText(error)}`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new WgError('invalid', `${path} is not YAML: ${errorText(error).split('\n')[0]}`);
  }
  const read = readFunction(value);
  if (!read.ok) throw new WgError('invalid', `${path} is not a function file (${read.problem})`);
  return read.func;
}

/** Writes the function as `path`, whole (never a half-written file, never through a link). */
export function saveFunctionAt(func: TraceFunction, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  replaceFile(path, functionYaml(func));
}

/** Every `*.yaml` of the folder, by id (upstream's load_all_functions); none when it is missing. */
export function loadAllFunctions(funcDir: string): TraceFunction[] {
  if (!existsSync(funcDir)) return [];
  const functions = readdirSync(funcDir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => loadFunction(join(funcDir, name)));
  return functions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The one function whose id starts with `prefix`, in upstream's words when none or several do. */
export function findFunctionByPrefix(funcDir: string, prefix: string): TraceFunction {
  const matches = loadAllFunctions(funcDir).filter((f) => f.id.startsWith(prefix));
  if (matches.length === 0) throw new WgError('not_found', `No function matching '${prefix}'`);
  if (matches.length > 1) {
    throw new WgError('invalid', `Prefix '${prefix}' matches ${matches.length} functions: ${matches.map((f) => f.id).join(', ')}`);
  }
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

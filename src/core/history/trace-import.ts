import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { stringify } from 'yaml';
import { invalid } from '../../shared/errors';
import type { ExportedTask, OperationEntry, TraceEvaluation, TraceExport, TraceImportResult } from '../../shared/history';
import { replaceFile } from '../files/no-follow';

/*
 * `wg trace import`: another project's trace export (upstream's format) kept as read-only context
 * under `imports/<source>/`, as upstream's keeps it: its tasks as `tasks.yaml`
 * (namespaced `imported/<source>/<id>`, done, tagged `imported` and `source:<source>`), its
 * operations as `operations.jsonl`. Nothing enters this project's graph. Its evaluations are kept
 * there too (`evaluations.jsonl`, ids `imported-…`, source `import:…`), out of this project's scores,
 * where upstream writes them into its agency folder.
 */

/** A source tag names a folder: letters, digits and . _ : - only, so it can never be a path. */
const SOURCE_TAG = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The export as upstream's serde reads it: metadata and tasks required, evaluations and operations lists. */
export function parseTraceExport(text: string, file: string): TraceExport {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw invalid(`Failed to parse '${file}' as trace export: not JSON`);
  }
  const bad = (what: string) => invalid(`Failed to parse '${file}' as trace export: ${what}`);
  if (!isObject(value)) throw bad('not an object');
  const { metadata, tasks, evaluations, operations } = value;
  if (!isObject(metadata) || typeof metadata.visibility !== 'string') throw bad('no metadata with a visibility');
  if (!Array.isArray(tasks) || !tasks.every((t) => isObject(t) && typeof t.id === 'string' && typeof t.title === 'string')) {
    throw bad('tasks must be a list of tasks with an id and a title');
  }
  if (!Array.isArray(evaluations) || !Array.isArray(operations)) throw bad('evaluations and operations must be lists');
  return value as unknown as TraceExport;
}

export interface TraceImportInput {
  text: string;
  /** The file's name (its stem is the source tag when none is given). */
  file: string;
  source?: string;
  dryRun: boolean;
}

function sourceTag(input: TraceImportInput, exported: TraceExport): string {
  const stem = basename(input.file, extname(input.file));
  const tag = input.source ?? exported.metadata.source ?? (stem || 'unknown');
  if (!SOURCE_TAG.test(tag)) {
    throw invalid(`'${tag}' cannot be a source tag: it names a folder, so only letters, digits and . _ : - (give one with --source)`);
  }
  return tag;
}

function importedTask(task: ExportedTask, source: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: `imported/${source}/${task.id}`, original_id: task.id, title: task.title };
  if (task.description) out.description = task.description;
  out.status = 'Done';
  out.visibility = 'internal';
  if (task.skills?.length) out.skills = task.skills;
  out.tags = [...(task.tags ?? []), 'imported', `source:${source}`];
  if (task.artifacts?.length) out.artifacts = task.artifacts;
  if (task.created_at) out.created_at = task.created_at;
  if (task.completed_at) out.completed_at = task.completed_at;
  if (task.agent) out.agent = task.agent;
  out.source = source;
  return out;
}

const jsonLines = (items: readonly unknown[]) => items.map((item) => `${JSON.stringify(item)}\n`).join('');

export function importTrace(wgDir: string, input: TraceImportInput): TraceImportResult {
  const exported = parseTraceExport(input.text, input.file);
  const source = sourceTag(input, exported);
  const dir = join(wgDir, 'imports', source);
  const result: TraceImportResult = {
    dry_run: input.dryRun,
    source,
    import_dir: dir,
    visibility: exported.metadata.visibility,
    task_count: exported.tasks.length,
    evaluation_count: exported.evaluations.length,
    operation_count: exported.operations.length,
    tasks: exported.tasks.map((t) => ({ id: `imported/${source}/${t.id}`, title: t.title, status: String(t.status) })),
  };
  if (input.dryRun) return result;
  mkdirSync(dir, { recursive: true });
  replaceFile(join(dir, 'tasks.yaml'), stringify(exported.tasks.map((t) => importedTask(t, source))));
  if (exported.evaluations.length > 0) {
    const evaluations = exported.evaluations.map(
      (e: TraceEvaluation): TraceEvaluation => ({ ...e, id: `imported-${e.id}`, source: `import:${e.source}` }),
    );
    replaceFile(join(dir, 'evaluations.jsonl'), jsonLines(evaluations));
  }
  if (exported.operations.length > 0) replaceFile(join(dir, 'operations.jsonl'), jsonLines(exported.operations as OperationEntry[]));
  return result;
}

import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { WgError } from '../../shared/errors';
import { functionNameProblem, type AppliedTask, type ApplyResult, type TaskTemplate, type TraceFunction } from '../../shared/functions';
import { TASK_ID_PATTERN, TASK_ID_RULE } from '../../shared/ops/schemas';
import type { JsonValue, Task } from '../../shared/task';
import type { StoreCore } from '../store/store-core';
import { findTaskRow, getTask } from '../store/task-reads';
import { addMissingDependency, linkDependency } from '../store/dependency-writes';
import { appendLog, insertTask, touch } from '../store/task-writes';
import { updateExtra } from '../store/planned-fields';
import { beforeOf, setBefore } from '../surgery/before-lists';
import { templateList } from './function-format';
import { findFunctionByPrefix, functionsDir, loadFunction } from './function-files';
import {
  parseInputFile,
  parseInputPair,
  renderValue,
  resolveFileContents,
  substituteTemplate,
  validateInputs,
  type Inputs,
} from './function-inputs';
import { validatePlan } from './plan-validator';
import { peerNames, resolvePeer } from './peers';
import { memoryText } from './run-memory';

/*
 * Upstream's `wg func apply`: a function's templates made into tasks of the graph, in one
 * transaction. Each task is `<prefix>-<template_id>` (the prefix: --prefix, else the feature_name
 * input, else the function's id); its dependencies are those of its template, and the roots also
 * wait on --after; skills and the role hint become `skill:` and `role:` tags. A generative function
 * takes its planner's output once the planner task is done (checked against its constraints), its
 * static templates until then.
 */

export interface ApplyRequest {
  functionId: string;
  from?: string;
  inputs: string[];
  inputFile?: string;
  prefix?: string;
  dryRun: boolean;
  after: string[];
  model?: string;
  /**
   * Called with what names a file on this machine (`--input-file`, a file_content input, a `--from`
   * file or a peer not named in federation.yaml) before it is read: throws when the caller may not
   * name one (a caller on another machine).
   */
  checkPath: (what: string) => void;
}

/** A function of a peer by id prefix, in upstream's words when it is not there; a peer not named in federation.yaml is a path. */
function fromPeer(peer: string, functionId: string, wgDir: string, checkPath: (what: string) => void): TraceFunction {
  const problem = functionNameProblem(functionId);
  if (problem !== null) throw new WgError('invalid', problem);
  if (!peerNames(wgDir).includes(peer)) checkPath(`--from '${peer}' is not a peer of federation.yaml`);
  try {
    return findFunctionByPrefix(functionsDir(resolvePeer(peer, wgDir)), functionId);
  } catch (error) {
    throw new WgError((error as WgError).code ?? 'invalid', `From peer '${peer}': ${(error as Error).message}`);
  }
}

/** Upstream's resolve_function_source: `peer:function`, a .yaml/.yml file, or a peer's name. */
function fromSource(source: string, functionId: string, wgDir: string, checkPath: (what: string) => void): TraceFunction {
  const colon = source.indexOf(':');
  if (colon >= 0) return fromPeer(source.slice(0, colon), source.slice(colon + 1), wgDir, checkPath);
  if (source.endsWith('.yaml') || source.endsWith('.yml')) {
    checkPath(`--from ${source}`);
    return loadFunction(source.startsWith('~/') ? join(process.env.HOME ?? '', source.slice(2)) : source);
  }
  return fromPeer(source, functionId, wgDir, checkPath);
}

/** The function to apply: from --from, else from the project's functions by id prefix. */
function loadForApply(wgDir: string, request: ApplyRequest): TraceFunction {
  return request.from !== undefined
    ? fromSource(request.from, request.functionId, wgDir, request.checkPath)
    : findFunctionByPrefix(functionsDir(wgDir), request.functionId);
}

/** The text of a ```yaml block (upstream's extract_yaml_block), or null when there is none or it is empty. */
export function yamlBlock(text: string): string | null {
  const marker = '```yaml\n';
  const start = text.indexOf(marker);
  if (start < 0) return null;
  const rest = text.slice(start + marker.length);
  const end = rest.indexOf('```');
  if (end < 0) return null;
  const block = rest.slice(0, end).trim();
  return block === '' ? null : block;
}

function templatesIn(text: string): TaskTemplate[] | null {
  try {
    const parsed = templateList().safeParse(parse(text));
    return parsed.success && parsed.data.length > 0 ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A done planner's task graph: a YAML artifact of it, else a ```yaml block in its log. */
function plannerOutput(planner: Task, projectRoot: string): TaskTemplate[] | null {
  for (const artifact of planner.artifacts) {
    if (!artifact.endsWith('.yaml') && !artifact.endsWith('.yml')) continue;
    try {
      const found = templatesIn(readFileSync(isAbsolute(artifact) ? artifact : join(projectRoot, artifact), 'utf8'));
      if (found) return found;
    } catch {
      // not readable: the next one
    }
  }
  for (const entry of planner.log) {
    const block = yamlBlock(entry.message);
    const found = block === null ? null : templatesIn(block);
    if (found) return found;
  }
  return null;
}

/** The templates to make: the planner's plan once its task is done (and passes), else the static ones. */
async function templatesFor(
  core: StoreCore,
  func: TraceFunction,
  prefix: string,
  projectRoot: string,
  warn: (line: string) => void,
): Promise<TaskTemplate[]> {
  const planning = func.planning;
  if (!planning) return func.tasks;
  const plannerId = `${prefix}-${planning.planner_template.template_id}`;
  const row = await findTaskRow(core, plannerId);
  if (row?.status !== 'done') return func.tasks;
  const generated = plannerOutput(await getTask(core, plannerId), projectRoot);
  if (!generated) return func.tasks;
  if (!planning.validate_plan || !func.constraints) return generated;
  const errors = validatePlan(generated, func.constraints);
  if (errors.length === 0) return generated;
  warn(`Plan validation failed (${errors.length} error(s)): ${errors.join('; ')}`);
  if (!planning.static_fallback) throw new WgError('invalid', 'Generated plan failed validation and static_fallback is disabled');
  warn('Falling back to static task templates.');
  return func.tasks;
}

/** The inputs given, typed and checked, defaults applied, file contents read. */
function resolveInputs(func: TraceFunction, request: ApplyRequest): Inputs {
  if (request.inputFile !== undefined) request.checkPath(`--input-file ${request.inputFile}`);
  const provided: Inputs = request.inputFile !== undefined ? parseInputFile(request.inputFile) : new Map();
  for (const pair of request.inputs) {
    const [key, value] = parseInputPair(pair, func.inputs);
    provided.set(key, value);
  }
  // A file_content input given is a path read here; its default is the function's own (its author's) choice.
  for (const def of func.inputs) if (def.type === 'file_content' && provided.has(def.name)) request.checkPath(`input '${def.name}'`);
  return resolveFileContents(func.inputs, validateInputs(func.inputs, provided));
}

/** A task id the application would make, refused (before anything is written) unless it is one every command takes. */
function checkTaskId(id: string): void {
  if (id.length <= 200 && TASK_ID_PATTERN.test(id)) return;
  throw new WgError('invalid', `'${id}' is not a valid task id: ${TASK_ID_RULE}; give another --prefix (or feature_name input)`);
}

/** Applies the function (or, in a dry run, says what it would make). */
export async function applyFunction(
  core: StoreCore,
  paths: { dir: string; root: string },
  request: ApplyRequest,
  actor: string,
  warn: (line: string) => void,
): Promise<{ result: ApplyResult; func: TraceFunction; inputs: Inputs }> {
  const func = loadForApply(paths.dir, request);
  const inputs = resolveInputs(func, request);
  const memory = memoryText(paths.dir, func);
  const feature = inputs.get('feature_name');
  const prefix = request.prefix ?? (typeof feature === 'string' ? feature : func.id);
  for (const dep of request.after) {
    if (!(await findTaskRow(core, dep))) warn(`Warning: external blocker '${dep}' does not exist in the graph`);
  }
  const templates = await templatesFor(core, func, prefix, paths.root, warn);
  const idOf = new Map(templates.map((t) => [t.template_id, `${prefix}-${t.template_id}`]));
  for (const id of idOf.values()) checkTaskId(id);
  if (!request.dryRun) {
    for (const id of idOf.values()) {
      if (await findTaskRow(core, id)) throw new WgError('conflict', `Task '${id}' already exists. Use a different --prefix.`);
    }
  }
  const planned: Planned[] = templates.map((template) => {
    const rendered = substituteTemplate(template, inputs);
    const description = memory === '' ? rendered.description : rendered.description.split('{{memory.run_summaries}}').join(memory);
    const after: string[] = [];
    for (const dep of template.after) {
      const real = idOf.get(dep);
      if (real) after.push(real);
      else warn(`Warning: after '${dep}' in template '${template.template_id}' not found in function`);
    }
    if (template.after.length === 0) after.push(...request.after);
    const tags = [
      ...rendered.tags,
      ...rendered.skills.filter((s) => s !== '').map((s) => `skill:${s}`),
      ...(rendered.role_hint ? [`role:${rendered.role_hint}`] : []),
    ];
    return {
      id: idOf.get(template.template_id) as string,
      title: rendered.title,
      description,
      after,
      skills: rendered.skills,
      tags,
      model: request.model ?? null,
      deliverables: rendered.deliverables,
      verify: rendered.verify,
    };
  });
  const result: ApplyResult = {
    ...(request.dryRun ? { dry_run: true as const } : {}),
    function_id: func.id,
    prefix,
    task_count: planned.length,
    task_ids: planned.map((t) => t.id),
    tasks: planned.map(({ deliverables: _d, verify: _v, ...task }) => task),
  };
  if (!request.dryRun) await core.write((rev) => createTasks(core, planned, actor, rev));
  return { result, func, inputs };
}

type Planned = AppliedTask & { deliverables: string[]; verify?: string };

/** The tasks made, their dependencies linked, and both edge lists kept as upstream writes them. */
async function createTasks(core: StoreCore, planned: readonly Planned[], actor: string, rev: number): Promise<void> {
  const made = new Set(planned.map((t) => t.id));
  // The `before` lists of the tasks outside waited on, as they were, to add the new ones to.
  const outside = new Map<string, string[]>();
  for (const task of planned)
    for (const dep of task.after)
      if (!made.has(dep) && (await findTaskRow(core, dep)) && !outside.has(dep)) outside.set(dep, await beforeOf(core, dep));
  for (const task of planned) {
    await insertTask(
      core,
      {
        id: task.id,
        title: task.title,
        description: task.description,
        tags: task.tags,
        deliverables: task.deliverables.length > 0 ? task.deliverables : undefined,
        ...(task.model ? { model: task.model } : {}),
      },
      rev,
    );
    const extra: Record<string, JsonValue> = {};
    if (task.skills.length > 0) extra.skills = task.skills;
    if (task.verify !== undefined) extra.verify = task.verify;
    // Merged here, not by SQLite's json_patch, which PostgreSQL has not: a team's graph refused the apply.
    if (Object.keys(extra).length > 0) await updateExtra(core, task.id, extra);
    await appendLog(core, task.id, actor, 'Task created');
  }
  for (const task of planned) {
    for (const dep of task.after) {
      if (await findTaskRow(core, dep)) await linkDependency(core, task.id, dep, rev);
      else await addMissingDependency(core, task.id, dep, rev);
      const list = outside.get(dep);
      if (list && !list.includes(task.id)) list.push(task.id);
    }
  }
  for (const task of planned) {
    const dependents = planned.filter((t) => t.after.includes(task.id)).map((t) => t.id);
    if (dependents.length > 0) await setBefore(core, task.id, dependents);
  }
  for (const [id, list] of outside) {
    await setBefore(core, id, list);
    await touch(core, id, rev);
  }
}

/** The inputs as upstream's provenance and run records keep them: each rendered to text. */
export function renderedInputs(inputs: Inputs): Record<string, JsonValue> {
  return Object.fromEntries([...inputs].map(([k, v]) => [k, renderValue(v)]));
}

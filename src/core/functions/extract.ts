import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writesInside } from '../files/inside-folder';
import { WgError } from '../../shared/errors';
import type { FunctionOutput, LoopEdgeTemplate, TaskTemplate, TraceFunction } from '../../shared/functions';
import { isSystemTaskId, type JsonValue, type Task } from '../../shared/task';
import { operationsPath } from '../provenance/operations-log';
import type { Store } from '../store/store';
import { functionsDir } from './function-files';
import { detectParameters, sanitizeId, stripPrefix, titleCase } from './parameter-detection';

/*
 * Upstream's `wg func extract` (static): a done task, and with `subgraph` everything after it, made
 * into a function: each task a template (its id without the root's prefix, its dependencies inside the
 * subgraph, a loop header's iterations as `loops_to`), parameters suggested by the heuristics, the
 * artifacts as outputs. The coordinator's own tasks (.evaluate-…, .assign-…) are left out unless asked.
 */

/** The coordinator's bookkeeping, not work: system tasks, and upstream's older evaluate-/assign- ids. */
export function isCoordinatorNoise(id: string): boolean {
  return isSystemTaskId(id) || id.startsWith('evaluate-') || id.startsWith('assign-');
}

/** The root and every task after it, transitively (upstream's collect_subgraph), fewest dependencies first. */
export function collectSubgraph(rootId: string, tasks: readonly Task[]): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const result: Task[] = [];
  const visited = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (visited.has(id)) continue;
    visited.add(id);
    const task = byId.get(id);
    if (!task) continue;
    result.push(task);
    for (const t of tasks) if (t.after.includes(id)) stack.push(t.id);
  }
  return result.sort((a, b) => a.after.length - b.after.length);
}

function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Upstream's LoopGuard (serde's external tagging) as the text a template keeps; none for `Always`. */
export function formatLoopGuard(guard: JsonValue | undefined): string | undefined {
  if (guard === 'Always') return 'always';
  if (typeof guard !== 'object' || guard === null || Array.isArray(guard)) return undefined;
  if (typeof guard.IterationLessThan === 'number') return `iteration < ${guard.IterationLessThan}`;
  const status = guard.TaskStatus;
  if (typeof status === 'object' && status !== null && !Array.isArray(status)) {
    return `task_status:${String(status.task)}:${String(status.status)}`;
  }
  return undefined;
}

/** The tasks a loop header goes back to: after it, and reachable from it through `after` (a cycle). */
function loopTargets(header: Task, inSubgraph: ReadonlySet<string>, byId: ReadonlyMap<string, Task>): string[] {
  const reachable = new Set<string>();
  const stack = header.after.filter((a) => inSubgraph.has(a));
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reachable.has(id)) continue;
    reachable.add(id);
    for (const dep of byId.get(id)?.after ?? []) if (inSubgraph.has(dep) && !reachable.has(dep)) stack.push(dep);
  }
  return [...byId.values()]
    .filter((t) => inSubgraph.has(t.id) && t.id !== header.id && t.after.includes(header.id) && reachable.has(t.id))
    .map((t) => t.id);
}

/** A task as a template (upstream's build_template); `roleHint` looks up the role of its agent identity. */
export async function buildTemplate(
  task: Task,
  rootId: string,
  inSubgraph: ReadonlySet<string>,
  byId: ReadonlyMap<string, Task>,
  roleHint: (agent: string) => Promise<string | undefined> = async () => undefined,
): Promise<TaskTemplate> {
  const cycle = task.extra.cycle_config;
  let loops: LoopEdgeTemplate[] = [];
  if (typeof cycle === 'object' && cycle !== null && !Array.isArray(cycle)) {
    const guard = cycle.guard === 'Always' ? undefined : formatLoopGuard(cycle.guard);
    loops = loopTargets(task, inSubgraph, byId).map((target) => ({
      target: stripPrefix(target, rootId),
      max_iterations: typeof cycle.max_iterations === 'number' ? cycle.max_iterations : 0,
      ...(guard !== undefined ? { guard } : {}),
      ...(typeof cycle.delay === 'string' ? { delay: cycle.delay } : {}),
    }));
  }
  const hint = task.agent ? await roleHint(task.agent) : undefined;
  const verify = task.extra.verify;
  return {
    template_id: stripPrefix(task.id, rootId),
    title: task.title,
    description: task.description || task.title,
    skills: stringList(task.extra.skills),
    after: task.after.filter((a) => inSubgraph.has(a)).map((a) => stripPrefix(a, rootId)),
    loops_to: loops,
    ...(hint !== undefined ? { role_hint: hint } : {}),
    deliverables: stringList(task.extra.deliverables),
    ...(typeof verify === 'string' ? { verify } : {}),
    tags: [...task.tags],
  };
}

/** An output for each task that produced artifacts (upstream's build_outputs). */
export function buildOutputs(tasks: readonly Task[]): FunctionOutput[] {
  return tasks
    .filter((t) => t.artifacts.length > 0)
    .map((t) => {
      const id = sanitizeId(t.id);
      return {
        name: `${id.replace(/-/g, '_')}_artifacts`,
        description: `Artifacts produced by ${t.title}`,
        from_task: id,
        field: 'artifacts',
      };
    });
}

/** The role of an agent identity, as a template's hint (`Careful Programmer`'s role `Programmer` → `programmer`). */
export function roleHintFrom(store: Store): (agent: string) => Promise<string | undefined> {
  return async (agent) => {
    try {
      const identity = await store.agency.resolveIdentity(agent);
      return (await store.agency.resolveRole(identity.role_id)).name.toLowerCase().replace(/ /g, '-');
    } catch {
      return undefined;
    }
  };
}

/** Entries of upstream's operations log about these tasks (the current file; rotated ones are compressed). */
export function provenanceCount(wgDir: string, ids: ReadonlySet<string>): number {
  let text: string;
  try {
    text = readFileSync(operationsPath(wgDir), 'utf8');
  } catch {
    return 0;
  }
  let n = 0;
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { task_id?: unknown };
      if (typeof entry.task_id === 'string' && ids.has(entry.task_id)) n++;
    } catch {
      // not a whole entry
    }
  }
  return n;
}

/** Where the function goes, refused when something is there already and `force` is not given. */
export function targetPath(wgDir: string, id: string, output: string | undefined, force: boolean): string {
  if (output === undefined) {
    const path = join(functionsDir(wgDir), `${id}.yaml`);
    if (existsSync(path) && !force) throw new WgError('conflict', `Function '${id}' already exists at ${path}. Use --force to overwrite.`);
    return path;
  }
  const path = resolve(output);
  // The project's own folder holds graph.db, graph.jsonl and the config: a function written there destroyed the graph.
  if (writesInside(wgDir, path) && !writesInside(functionsDir(wgDir), path)) {
    throw new WgError(
      'invalid',
      `--output ${output} is inside the project's own folder (${wgDir}); choose a file outside it, or leave --output out`,
    );
  }
  if (existsSync(path) && statSync(path).isDirectory()) throw new WgError('invalid', `--output ${output} is a folder; name a file`);
  if (existsSync(path) && !force) throw new WgError('conflict', `Output file ${path} already exists. Use --force to overwrite.`);
  return path;
}

export interface StaticExtraction {
  func: TraceFunction;
  ids: Set<string>;
}

/** Upstream's static extraction of `rootId` (not yet generalized, validated or saved). */
export async function extractStatic(
  store: Store,
  rootId: string,
  options: { name?: string; subgraph: boolean; includeEvaluations: boolean },
  now: string,
): Promise<StaticExtraction> {
  const root = await store.get(rootId);
  if (root.status !== 'done') {
    throw new WgError(
      'invalid',
      `Task '${rootId}' is in '${root.status}' status. Only completed (done) tasks can be extracted into trace functions.`,
    );
  }
  const all = await store.list();
  let tasks = options.subgraph ? collectSubgraph(rootId, all) : [root];
  if (!options.includeEvaluations) tasks = tasks.filter((t) => !isCoordinatorNoise(t.id));
  const ids = new Set(tasks.map((t) => t.id));
  const byId = new Map(all.map((t) => [t.id, t]));
  const hint = roleHintFrom(store);
  const funcId = options.name ?? sanitizeId(rootId);
  const func: TraceFunction = {
    kind: 'trace-function',
    version: 1,
    id: funcId,
    name: options.name !== undefined ? titleCase(options.name) : titleCase(sanitizeId(rootId)),
    description: root.description || root.title,
    extracted_from: [{ task_id: rootId, timestamp: now }],
    ...(root.assigned ? { extracted_by: root.assigned } : {}),
    extracted_at: now,
    tags: [...root.tags],
    inputs: detectParameters(tasks),
    tasks: await Promise.all(tasks.map((t) => buildTemplate(t, rootId, ids, byId, hint))),
    outputs: buildOutputs(tasks),
    visibility: 'internal',
    redacted_fields: [],
  };
  return { func, ids };
}

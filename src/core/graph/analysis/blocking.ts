import type { Task } from '../../../shared/task';
import type { BlockerInfo, BlockingChainNode, RootBlocker, WhyBlocked } from '../../../shared/insight';
import { workToMerge } from '../../../shared/task-hold';
import { satisfiesDependency } from '../readiness';
import { debugStatus, type TaskIndex } from './task-index';

/**
 * `wg blocked` and `wg why-blocked`, as upstream computes them (`after`,
 * `why_blocked`). Pure: they read the graph given.
 */

/** Holds its dependents: neither done nor abandoned, or done with its agent's work still to merge (not upstream's). */
const holds = (dep: Task): boolean => !satisfiesDependency(dep.status) || workToMerge(dep);

/** The dependencies that hold the task (`holds`); ids not in the graph are left out, as upstream does. */
export function directBlockers(index: TaskIndex, id: string): BlockerInfo[] {
  const task = index.get(id);
  if (!task) return [];
  return task.after
    .map((dep) => index.get(dep))
    .filter((dep): dep is Task => dep !== undefined && holds(dep))
    .map((dep) => ({ id: dep.id, title: dep.title, status: dep.status }));
}

export interface BlockingNode {
  id: string;
  /** Null: not in the graph (a phantom dependency). */
  task: Task | null;
  children: BlockingNode[];
}

/**
 * The chain of what holds `id` back: each dependency that does not satisfy it (not done or abandoned), recursively;
 * an id not in the graph is a phantom leaf. Each task is expanded once (a cycle or a second path stops there).
 * Upstream leaves failed dependencies out too, and said "no blockers" of a task a failed one held back, where its
 * own `wg blocked` and `wg show` name it: here a failed dependency is in the chain, and is the root cause.
 */
export function blockingTree(index: TaskIndex, id: string, visited = new Set<string>()): BlockingNode {
  const task = index.get(id) ?? null;
  const node: BlockingNode = { id, task, children: [] };
  if (visited.has(id)) return node;
  visited.add(id);
  if (!task) return node;
  for (const dep of task.after) {
    if (visited.has(dep)) continue;
    const blocker = index.get(dep);
    if (!blocker) node.children.push({ id: dep, task: null, children: [] });
    else if (holds(blocker)) node.children.push(blockingTree(index, dep, visited));
  }
  return node;
}

/** The leaves of the chain that are still open work, failed, or phantoms: what to act on. In chain order. */
export function rootBlockers(node: BlockingNode, found: string[] = []): string[] {
  if (node.children.length === 0) {
    if ((node.task === null || holds(node.task)) && !found.includes(node.id)) found.push(node.id);
    return found;
  }
  for (const child of node.children) rootBlockers(child, found);
  return found;
}

/** Distinct tasks in the chain below the root. */
export function countBlockers(node: BlockingNode): number {
  const seen = new Set<string>();
  const walk = (current: BlockingNode) => {
    for (const child of current.children) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      walk(child);
    }
  };
  walk(node);
  return seen.size;
}

/** Upstream's `is_task_ready` here: open, and every dependency satisfied (an id not in the graph is not). */
export function upstreamReady(index: TaskIndex, task: Task): boolean {
  if (task.status !== 'open') return false;
  return task.after.every((dep) => {
    const blocker = index.get(dep);
    return blocker !== undefined && satisfiesDependency(blocker.status);
  });
}

function chainJson(node: BlockingNode): BlockingChainNode {
  return {
    id: node.id,
    status: debugStatus(node.task?.status ?? 'open'),
    after: node.children.map(chainJson),
    ...(node.task === null ? { phantom: true as const } : {}),
  };
}

/** `wg why-blocked ID --json`, field for field. The caller has checked that `id` exists. */
export function whyBlocked(index: TaskIndex, id: string): WhyBlocked {
  const task = index.get(id) as Task;
  const tree = blockingTree(index, id);
  const roots: RootBlocker[] = [];
  const phantoms: RootBlocker[] = [];
  for (const rootId of rootBlockers(tree)) {
    const root = index.get(rootId);
    if (root)
      roots.push({ id: root.id, title: root.title, status: root.status, assigned: root.assigned, is_ready: upstreamReady(index, root) });
    else phantoms.push({ id: rootId, phantom: true, status: 'DOES NOT EXIST' });
  }
  return {
    task: { id: task.id, title: task.title, status: task.status },
    is_blocked: tree.children.length > 0,
    blocking_chain: chainJson(tree),
    root_blockers: [...roots, ...phantoms],
    total_blockers: countBlockers(tree),
  };
}

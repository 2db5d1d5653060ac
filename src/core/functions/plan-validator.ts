import type { StructuralConstraints, TaskTemplate } from '../../shared/functions';
import { loopsOf } from '../graph/analysis/loops';

/*
 * Upstream's plan validator (pure): whether a planner's task graph keeps to a generative function's
 * structural constraints. Every violation is listed, each in upstream's words.
 */

/** The cycles of the templates' `after` graph: its non-trivial strongly connected components (loops.ts). */
function cycleCount(tasks: readonly TaskTemplate[]): number {
  const ids = new Set(tasks.map((t) => t.template_id));
  const successors = new Map<string, string[]>([...ids].map((id) => [id, []]));
  for (const t of tasks) for (const dep of t.after) if (ids.has(dep)) successors.get(dep)?.push(t.template_id);
  return loopsOf(successors).length;
}

/** The longest chain of `after` from a root (upstream's breadth-first depth). */
function planDepth(tasks: readonly TaskTemplate[]): number {
  const ids = new Set(tasks.map((t) => t.template_id));
  const children = new Map<string, string[]>();
  const inDegree = new Map<string, number>();
  for (const t of tasks) {
    if (!inDegree.has(t.template_id)) inDegree.set(t.template_id, 0);
    if (!children.has(t.template_id)) children.set(t.template_id, []);
    for (const dep of t.after) {
      if (!ids.has(dep)) continue;
      const list = children.get(dep) ?? [];
      list.push(t.template_id);
      children.set(dep, list);
      inDegree.set(t.template_id, (inDegree.get(t.template_id) ?? 0) + 1);
    }
  }
  const queue: Array<[string, number]> = [...inDegree].filter(([, d]) => d === 0).map(([id]) => [id, 0]);
  const best = new Map<string, number>();
  let max = 0;
  while (queue.length > 0) {
    const [id, depth] = queue.shift() as [string, number];
    const prev = best.get(id);
    if (prev !== undefined && depth <= prev) continue;
    best.set(id, depth);
    max = Math.max(max, depth);
    for (const kid of children.get(id) ?? []) {
      const seen = best.get(kid);
      if (seen === undefined || seen < depth + 1) queue.push([kid, depth + 1]);
    }
  }
  return max;
}

/** Every way the plan breaks the constraints (empty: it keeps them). */
export function validatePlan(tasks: readonly TaskTemplate[], c: StructuralConstraints): string[] {
  const errors: string[] = [];
  const n = tasks.length;
  if (c.min_tasks !== undefined && n < c.min_tasks) errors.push(`too few tasks: ${n} < minimum ${c.min_tasks}`);
  if (c.max_tasks !== undefined && n > c.max_tasks) errors.push(`too many tasks: ${n} > maximum ${c.max_tasks}`);
  const skills = new Set(tasks.flatMap((t) => t.skills));
  for (const skill of c.required_skills) if (!skills.has(skill)) errors.push(`required skill not covered: ${skill}`);
  const tags = new Set(tasks.flatMap((t) => t.tags));
  for (const phase of c.required_phases) if (!tags.has(phase)) errors.push(`required phase not present: ${phase}`);
  for (const pattern of c.forbidden_patterns) {
    if (pattern.tags.length === 0) continue;
    if (tasks.some((t) => pattern.tags.every((tag) => t.tags.includes(tag)))) {
      errors.push(`forbidden pattern [${pattern.tags.join(', ')}]: ${pattern.reason}`);
    }
  }
  const cycles = cycleCount(tasks);
  if (!c.allow_cycles && cycles > 0) errors.push(`cycles not allowed but ${cycles} cycle(s) found`);
  if (c.max_total_iterations !== undefined) {
    const total = tasks.flatMap((t) => t.loops_to).reduce((sum, l) => sum + l.max_iterations, 0);
    if (total > c.max_total_iterations) errors.push(`total cycle iterations ${total} exceeds maximum ${c.max_total_iterations}`);
  }
  if (c.max_depth !== undefined) {
    const depth = planDepth(tasks);
    if (depth > c.max_depth) errors.push(`dependency depth ${depth} exceeds maximum ${c.max_depth}`);
  }
  return errors;
}

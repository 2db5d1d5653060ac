import type { Task, TaskStatus } from '../../shared/task';
import { estimateOf } from './analysis/task-index';
import { formatHours } from '../../shared/durations';

const COLOURS: Record<TaskStatus, string> = {
  open: '#e5e7eb',
  'in-progress': '#93c5fd',
  waiting: '#e9d5ff',
  blocked: '#fed7aa',
  'pending-validation': '#fde68a',
  'pending-eval': '#fde68a',
  'failed-pending-eval': '#fecaca',
  done: '#86efac',
  failed: '#fca5a5',
  abandoned: '#d1d5db',
  incomplete: '#fef08a',
};

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The critical path's marks, as upstream's `wg viz --dot` draws them: red, thicker nodes and edges. */
const onPath = (critical: ReadonlySet<string>, from: string, to: string) => critical.has(from) && critical.has(to);

/**
 * What a drawing marks besides the tasks: `critical`, the critical path (`--critical-path`); `known`,
 * every task id of the graph, so a dependency on a task only left undrawn is not taken for a missing
 * one; `phases`, what each task's pipeline is doing (viz-phases.ts).
 */
export interface DrawingMarks {
  critical?: ReadonlySet<string>;
  known?: ReadonlySet<string>;
  phases?: ReadonlyMap<string, string>;
}

/** The estimate line of a node's label (upstream's "8h"), if the task has one. */
function estimateLine(task: Task): string {
  const hours = estimateOf(task, 'hours');
  return hours === null ? '' : `\n${formatHours(hours)}h`;
}

/**
 * Dependencies naming no task anywhere in the graph (not merely one not drawn): upstream draws each as
 * a node of its own, "⚠ id (missing)", reached by a dashed red edge. `known`: every task id in the graph.
 */
function danglingOf(tasks: readonly Task[], known: ReadonlySet<string>): Set<string> {
  return new Set(tasks.flatMap((t) => t.after.filter((dep) => !known.has(dep))));
}

/**
 * Graphviz dot, as upstream's generate_dot: a node labelled with its id, title and estimate, an edge
 * from a dependency to the task that needs it.
 */
export function toDot(tasks: readonly Task[], marks: DrawingMarks = {}): string {
  const { critical = new Set<string>(), known, phases = new Map<string, string>() } = marks;
  const lines = ['digraph wg {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled"];'];
  const drawn = new Set(tasks.map((t) => t.id));
  for (const t of tasks) {
    const mark = critical.has(t.id) ? ', penwidth=3, color=red' : '';
    const phase = phases.get(t.id);
    const label = `${t.paused ? '‖ ' : ''}${t.id}\n${t.title}\n${t.status}${estimateLine(t)}${phase ? ` ${phase}` : ''}`;
    lines.push(`  ${quote(t.id)} [label=${quote(label)}, fillcolor=${quote(COLOURS[t.status])}${mark}];`);
  }
  const dangling = danglingOf(tasks, known ?? drawn);
  for (const id of dangling) lines.push(`  ${quote(id)} [label=${quote(`⚠ ${id} (missing)`)}, shape=none, fontcolor=red];`);
  for (const t of tasks)
    for (const dep of t.after) {
      if (dangling.has(dep)) lines.push(`  ${quote(dep)} -> ${quote(t.id)} [style=dashed, color=red];`);
      else if (drawn.has(dep))
        lines.push(`  ${quote(dep)} -> ${quote(t.id)}${onPath(critical, dep, t.id) ? ' [color=red, penwidth=2]' : ''};`);
    }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * Mermaid flowchart; `critical` (`--critical-path`): thick arrows and red nodes, as upstream's. Nodes are
 * named t0, t1… (a task id such as `.assign-x` or `end` is no mermaid name); a missing dependency is a
 * "⚠ id (missing)" node of the `dangling` class reached by a dotted edge, as upstream's generate_mermaid.
 */
export function toMermaid(tasks: readonly Task[], marks: DrawingMarks = {}): string {
  const { critical = new Set<string>(), known, phases = new Map<string, string>() } = marks;
  const node = new Map(tasks.map((t, i) => [t.id, `t${i}`]));
  const label = (text: string) => text.replace(/"/g, '#quot;');
  const lines = ['flowchart LR'];
  for (const t of tasks) {
    const phase = phases.get(t.id);
    lines.push(`  ${node.get(t.id)}["${label(t.title)}<br/>${t.status}${phase ? ` ${phase}` : ''}"]:::${t.status.replace(/-/g, '_')}`);
  }
  const dangling = [...danglingOf(tasks, known ?? new Set(node.keys()))];
  const missing = new Map(dangling.map((id, i) => [id, `m${i}`]));
  for (const [id, name] of missing) lines.push(`  ${name}["⚠ ${label(id)} (missing)"]:::dangling`);
  for (const t of tasks)
    for (const dep of t.after) {
      if (node.has(dep)) lines.push(`  ${node.get(dep)} ${onPath(critical, dep, t.id) ? '==>' : '-->'} ${node.get(t.id)}`);
      else if (missing.has(dep)) lines.push(`  ${missing.get(dep)} -.-> ${node.get(t.id)}`);
    }
  for (const [status, colour] of Object.entries(COLOURS)) lines.push(`  classDef ${status.replace(/-/g, '_')} fill:${colour}`);
  if (missing.size > 0) lines.push('  classDef dangling fill:#fff,stroke:#f00,stroke-dasharray: 5 5,color:#f00');
  const marked = tasks.filter((t) => critical.has(t.id)).map((t) => node.get(t.id));
  if (marked.length > 0) lines.push(`  style ${marked.join(',')} stroke:#f00,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

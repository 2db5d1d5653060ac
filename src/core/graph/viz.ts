import type { Task, TaskStatus } from '../../shared/task';

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

/** Graphviz dot: an edge points from a dependency to the task that needs it. `critical`: `--critical-path`. */
export function toDot(tasks: readonly Task[], critical: ReadonlySet<string> = new Set()): string {
  const lines = ['digraph workgraph {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled"];'];
  for (const t of tasks) {
    const mark = critical.has(t.id) ? ', penwidth=3, color=red' : '';
    lines.push(`  ${quote(t.id)} [label=${quote(`${t.title}\n${t.status}`)}, fillcolor=${quote(COLOURS[t.status])}${mark}];`);
  }
  for (const t of tasks)
    for (const dep of t.after)
      lines.push(`  ${quote(dep)} -> ${quote(t.id)}${onPath(critical, dep, t.id) ? ' [color=red, penwidth=2]' : ''};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid flowchart; `critical` (`--critical-path`): thick arrows and red nodes, as upstream's. */
export function toMermaid(tasks: readonly Task[], critical: ReadonlySet<string> = new Set()): string {
  const node = new Map(tasks.map((t, i) => [t.id, `t${i}`]));
  const label = (text: string) => text.replace(/"/g, '#quot;');
  const lines = ['flowchart LR'];
  for (const t of tasks) lines.push(`  ${node.get(t.id)}["${label(t.title)}<br/>${t.status}"]:::${t.status.replace(/-/g, '_')}`);
  for (const t of tasks)
    for (const dep of t.after)
      if (node.has(dep)) lines.push(`  ${node.get(dep)} ${onPath(critical, dep, t.id) ? '==>' : '-->'} ${node.get(t.id)}`);
  for (const [status, colour] of Object.entries(COLOURS)) lines.push(`  classDef ${status.replace(/-/g, '_')} fill:${colour}`);
  const marked = tasks.filter((t) => critical.has(t.id)).map((t) => node.get(t.id));
  if (marked.length > 0) lines.push(`  style ${marked.join(',')} stroke:#f00,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

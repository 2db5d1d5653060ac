import type { JsonValue } from '../../../shared/task';

/*
 * Upstream's `wg graph-export`: the whole graph as DOT, with the archive's
 * tasks greyed and dashed when asked, and a date window on when a task finished. Its colours, styles, legend and edge
 * labels are upstream's, line for line, so a DOT file made by either tool renders the same.
 */

/** A task as the export draws it: an active one or an archive.jsonl line, reduced to what the DOT needs. */
export interface ExportTask {
  id: string;
  title: string;
  status: string;
  assigned: string | null;
  after: readonly string[];
  requires: readonly string[];
  completed_at: string | null;
}

/** Upstream's status_color: the archive's tasks are all light grey. */
export function statusColor(status: string, archived: boolean): string {
  if (archived) return 'lightgray';
  switch (status) {
    case 'done':
      return 'palegreen';
    case 'in-progress':
      return 'coral';
    case 'blocked':
      return 'khaki';
    case 'failed':
      return 'salmon';
    case 'abandoned':
      return 'lightgray';
    case 'waiting':
    case 'pending-validation':
      return 'lightskyblue';
    case 'pending-eval':
      return 'chartreuse';
    case 'failed-pending-eval':
      return 'darkorange';
    case 'incomplete':
      return 'orange';
    default:
      return 'white';
  }
}

/** Upstream's status_style: bold for work under way and for a failure, dashed for the archive. */
export function statusStyle(status: string, archived: boolean): string {
  if (archived) return 'filled,dashed';
  return status === 'in-progress' || status === 'failed' ? 'filled,bold' : 'filled';
}

/**
 * Upstream's in_date_range: with no window every task counts; with one, only a task finished inside it (both ends
 * included, `--until` at that day's midnight as upstream's). A task without a readable finish time is left out.
 */
export function inDateRange(task: Pick<ExportTask, 'completed_at'>, since: Date | null, until: Date | null): boolean {
  if (!since && !until) return true;
  const at = task.completed_at ? Date.parse(task.completed_at) : Number.NaN;
  if (Number.isNaN(at)) return false;
  return (!since || at >= since.getTime()) && (!until || at <= until.getTime());
}

const strings = (value: JsonValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const text = (value: JsonValue | undefined): string | null => (typeof value === 'string' ? value : null);

/** An archive.jsonl line (upstream's Node::Task) as the export draws it. */
export function archivedExportTask(line: Record<string, JsonValue>): ExportTask {
  return {
    id: String(line.id),
    title: text(line.title) ?? String(line.id),
    status: text(line.status) ?? 'open',
    assigned: text(line.assigned),
    after: strings(line.after),
    requires: strings(line.requires),
    completed_at: text(line.completed_at),
  };
}

/*
 * Upstream writes ids and titles into the quotes as they are, so a `"` in a title breaks its file; here a quote and a
 * backslash are escaped, which changes nothing for any title upstream's output is valid DOT for.
 */
const quoted = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** The DOT text upstream's run prints (with its trailing newline). */
export function graphExportDot(tasks: ReadonlyArray<{ task: ExportTask; archived: boolean }>, withArchive: boolean): string {
  const out: string[] = ['digraph wg {', '  rankdir=LR;', '  node [shape=box];', '', '  // Legend', '  subgraph cluster_legend {'];
  out.push('    label="Legend";', '    style=dashed;', '    fontsize=10;');
  out.push('    legend_open [label="Open", style=filled, fillcolor=white];');
  out.push('    legend_progress [label="In Progress", style="filled,bold", fillcolor=coral];');
  out.push('    legend_blocked [label="Blocked", style=filled, fillcolor=khaki];');
  out.push('    legend_done [label="Done", style=filled, fillcolor=palegreen];');
  out.push('    legend_failed [label="Failed", style="filled,bold", fillcolor=salmon];');
  if (withArchive) out.push('    legend_archived [label="Archived", style="filled,dashed", fillcolor=lightgray];');
  out.push('    legend_open -> legend_progress -> legend_blocked -> legend_done -> legend_failed [style=invis];', '  }', '');
  for (const { task, archived } of tasks) {
    const label = task.assigned
      ? `${quoted(task.id)}\\n${quoted(task.title)}\\n[${quoted(task.assigned)}]`
      : `${quoted(task.id)}\\n${quoted(task.title)}`;
    out.push(
      `  "${quoted(task.id)}" [label="${label}", style="${statusStyle(task.status, archived)}", fillcolor=${statusColor(task.status, archived)}];`,
    );
  }
  // Upstream prints its resources (diamonds) here; this app keeps none.
  out.push('');
  const ids = new Set(tasks.map(({ task }) => task.id));
  for (const { task } of tasks) {
    for (const dep of task.after) if (ids.has(dep)) out.push(`  "${quoted(dep)}" -> "${quoted(task.id)}" [label="blocks"];`);
    if (task.assigned) out.push(`  "${quoted(task.id)}" -> "${quoted(task.assigned)}" [style=dashed, label="assigned"];`);
    for (const req of task.requires)
      if (ids.has(req)) out.push(`  "${quoted(task.id)}" -> "${quoted(req)}" [style=dotted, label="requires"];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

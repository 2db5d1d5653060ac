import { TASK_STATUSES, type Task, type TaskStatus } from '../../../shared/task';
import { asciiTree } from './ascii-tree';
import { debugStatus } from './task-index';

/*
 * `wg html` (upstream's render_site, reduced): a static site of the graph, `index.html` (the ASCII graph, a legend in
 * upstream's status colours, the task list), `style.css` (light and dark) and `tasks/<id>.html` per task shown.
 * Pure: it returns the files; the handler writes them. Every text from the graph is escaped; a description is
 * shown as its text, not rendered as markdown, so no markup of it reaches the page. A task hidden by the filter
 * is never named: a shown task's dependency on one is a count.
 */

export interface HtmlOptions {
  /** Every task, not only `visibility = public` ones (upstream's default; --public-only turns it off). */
  showAll: boolean;
  /** Only tasks active since this time (--since), with its label for the footer. */
  since?: { fromMs: number; label: string };
  sourceTitle: string;
  now: Date;
}

export interface HtmlSite {
  files: Record<string, string>;
  total_in_graph: number;
  public_count: number;
  pages_written: number;
}

/** Upstream's status colours (its TUI palette). */
const STATUS_COLOR: Record<TaskStatus, string> = {
  done: 'rgb(80,220,100)',
  failed: 'rgb(220,60,60)',
  'in-progress': 'rgb(229,229,16)',
  open: 'rgb(200,200,80)',
  blocked: 'rgb(180,120,60)',
  abandoned: 'rgb(140,100,160)',
  waiting: 'rgb(60,160,220)',
  'pending-validation': 'rgb(60,160,220)',
  'pending-eval': 'rgb(140,230,80)',
  'failed-pending-eval': 'rgb(210,130,70)',
  incomplete: 'rgb(255,165,0)',
};

/** HTML's five special characters, as upstream escapes them. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A task id as a file name: what could leave the folder or hide a file is spelt out. */
function pageName(id: string): string {
  return `${encodeURIComponent(id).replace(/^\./, '%2E')}.html`;
}

/** A link to that file: its name escaped once more, as a browser reads `%` in a link. */
const pageHref = (id: string) => encodeURIComponent(pageName(id));

const visibilityOf = (task: Task) => (typeof task.extra.visibility === 'string' ? task.extra.visibility : 'internal');

function lastActiveMs(task: Task): number {
  const times = [task.created_at, task.started_at, task.completed_at].filter((t): t is string => typeof t === 'string');
  return Math.max(0, ...times.map((t) => Date.parse(t)).filter(Number.isFinite));
}

const STYLE = `:root { color-scheme: light dark; --bg: #fbfbf8; --fg: #1d1d1b; --muted: #666; --line: #ddd; --link: #1f5fbf; }
@media (prefers-color-scheme: dark) { :root { --bg: #17181a; --fg: #e6e6e3; --muted: #9a9a96; --line: #333; --link: #7fb0ff; } }
body { background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
a { color: var(--link); }
h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
.meta, .note { color: var(--muted); }
pre { background: color-mix(in srgb, var(--fg) 6%, transparent); border: 1px solid var(--line); border-radius: 6px; overflow: auto; padding: .8rem; }
.viz-pre { font: 13px/1.35 ui-monospace, monospace; }
.swatch { border-radius: 3px; display: inline-block; height: .8em; margin-right: .3em; width: .8em; }
ul.legend { display: flex; flex-wrap: wrap; gap: .2rem 1rem; list-style: none; padding: 0; }
ul.tasks li { margin: .15rem 0; }
.status { font-family: ui-monospace, monospace; font-size: .85em; }
`;

function page(title: string, css: string, body: string): string {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${title}</title>\n<link rel="stylesheet" href="${css}">\n</head>\n<body>\n${body}</body>\n</html>\n`;
}

const swatch = (status: TaskStatus) => `<span class="swatch" style="background:${STATUS_COLOR[status]}"></span>`;

/** The site for these tasks (the whole graph: system tasks are left out as upstream leaves its internal ones). */
export function renderHtmlSite(all: readonly Task[], options: HtmlOptions): HtmlSite {
  const shown = all.filter(
    (t) =>
      !t.id.startsWith('.') &&
      (options.showAll || visibilityOf(t) === 'public') &&
      (options.since === undefined || lastActiveMs(t) >= options.since.fromMs),
  );
  const shownIds = new Set(shown.map((t) => t.id));
  const source = escapeHtml(options.sourceTitle);
  const files: Record<string, string> = { 'style.css': STYLE };
  const dependents = new Map<string, string[]>();
  for (const task of shown)
    for (const dep of task.after) if (shownIds.has(dep)) dependents.set(dep, [...(dependents.get(dep) ?? []), task.id]);

  for (const task of shown) {
    const link = (id: string) => `<li><a href="./${pageHref(id)}">${escapeHtml(id)}</a></li>`;
    const after = task.after.filter((d) => shownIds.has(d));
    const hidden = task.after.length - after.length;
    const body = [
      `<p><a href="../index.html">← all tasks</a></p>`,
      `<h1>${escapeHtml(task.id)}</h1>`,
      `<p>${escapeHtml(task.title)}</p>`,
      `<p class="status">${swatch(task.status)}${debugStatus(task.status)}</p>`,
      '<h2>Description</h2>',
      task.description ? `<pre id="desc-raw">${escapeHtml(task.description)}</pre>` : '<p class="note">(none)</p>',
      '<h2>Depends on</h2>',
      after.length === 0 && hidden === 0 ? '<p class="note">nothing</p>' : '',
      after.length > 0 || hidden > 0
        ? `<ul>${after.map(link).join('')}${hidden > 0 ? `<li class="hidden-dep"><span class="note">${hidden} non-public dependenc${hidden === 1 ? 'y' : 'ies'} hidden</span></li>` : ''}</ul>`
        : '',
      '<h2>Required by</h2>',
      (dependents.get(task.id) ?? []).length === 0
        ? '<p class="note">nothing</p>'
        : `<ul>${(dependents.get(task.id) ?? []).map(link).join('')}</ul>`,
    ]
      .filter((line) => line !== '')
      .join('\n');
    files[`tasks/${pageName(task.id)}`] = page(`${escapeHtml(task.id)} — ${source}`, '../style.css', `${body}\n`);
  }

  const hiddenCount = all.length - shown.length;
  const filterNote = options.showAll
    ? `Showing ${shown.length} of ${all.length} tasks${options.since ? `, last ${escapeHtml(options.since.label)}` : ''}.`
    : options.since
      ? `Showing ${shown.length} of ${all.length} tasks: <strong>--public-only</strong>, last ${escapeHtml(options.since.label)}. ${hiddenCount} non-public tasks hidden.`
      : `Visibility filter: <strong>--public-only</strong>. Showing ${shown.length} of ${all.length} tasks; ${hiddenCount} non-public tasks hidden.`;
  const index = [
    `<h1>${source}</h1>`,
    `<p class="meta">${shown.length} tasks</p>`,
    shown.length === 0
      ? '<p class="note">No tasks to display.</p>'
      : `<pre class="viz-pre">${escapeHtml(asciiTree(shown, { now: options.now, messages: new Map() }))}</pre>`,
    `<ul class="legend">${TASK_STATUSES.map((s) => `<li>${swatch(s)}${debugStatus(s)}</li>`).join('')}</ul>`,
    `<h2>Tasks (${shown.length})</h2>`,
    `<ul class="tasks">${shown
      .map(
        (t) =>
          `<li data-task-id="${escapeHtml(t.id)}">${swatch(t.status)}<a href="tasks/${pageHref(t.id)}">${escapeHtml(t.id)}</a> — ${escapeHtml(t.title)}</li>`,
      )
      .join('\n')}</ul>`,
    `<footer><p>${filterNote}</p>\n<p class="meta">Rendered by <code>wg html</code> at ${options.now.toISOString()}.</p></footer>`,
  ].join('\n');
  files['index.html'] = page(`${source} — ${options.showAll ? 'all tasks' : 'public mirror'}`, 'style.css', `${index}\n`);
  return { files, total_in_graph: all.length, public_count: shown.length, pages_written: shown.length };
}

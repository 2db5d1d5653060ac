import { archiveRestoreText, archiveSearchText, archiveText, gcText } from '../cleanup-format';
import { funcApplyText, funcExtractText, funcListText, funcShowText } from '../func-format';
import { bottlenecksText, checkText, criticalPathText, statusText } from '../insight-format';
import { cyclesText, impactText, planText } from '../planning-format';
import type { Formatters } from './formatters';

/** The graph as a whole: its export and import, its checks, what is cleaned out of it, and the functions that make parts of it. */

export const graphFormatters: Formatters = {
  'graph:export': (text) => text.trimEnd(),
  'graph:viz': (text) => text.trimEnd(),
  'graph:graphExport': (text) => text.trimEnd(),
  'graph:import': (r) =>
    [
      `imported ${r.imported} new, updated ${r.updated}`,
      ...(r.loops.length ? [`kept as loop back edges (they do not block): ${r.loops.join(', ')}`] : []),
    ].join('\n'),
  'graph:copy': (r) =>
    [
      `copied ${r.counts.tasks} tasks, ${r.counts.task_log} log entries, ${r.counts.agents} agent runs, ${r.counts.evaluations} evaluations, ${r.counts.messages} messages and ${r.counts.agency} agency entries (${r.counts.rows} rows in all) into ${r.to}`,
      r.switched
        ? `this project now keeps its graph there (config.toml [store] url); the old store is left as it was`
        : // A copy is of this moment: switching to it later would lose what changed since, so the way there is a copy again.
          `this project still keeps its graph where it did, and the copy will not follow its changes; ${r.to.includes('://') ? 'to move the project there, copy it with --switch into an empty schema (another &schema=NAME, or this one emptied)' : 'to use the copy, put it in a project folder as .workgraph/graph.db'}`,
      ...(r.settings_kept
        ? [`the team's ${r.settings_kept} settings are in this folder's config.toml too, for a project that uses the copy`]
        : []),
    ].join('\n'),
  'graph:status': statusText,
  'graph:check': checkText,
  'graph:criticalPath': criticalPathText,
  'graph:bottlenecks': bottlenecksText,
  'graph:cycles': cyclesText,
  'task:impact': impactText,
  'graph:plan': planText,
  'graph:html': (r) =>
    `Wrote ${r.pages_written + 1} pages to ${r.out_dir} (${r.show_all ? `all tasks (${r.public_count} included)` : `${r.public_count} public of ${r.total_in_graph} total`})`,
  'func:list': (functions, _term, input) => funcListText(functions, input),
  'func:show': funcShowText,
  'func:extract': funcExtractText,
  'func:apply': funcApplyText,
  'guide:quickstart': (r) => r.text,
  'graph:events': (events) => events.map((e) => JSON.stringify(e)).join('\n'),
  'graph:gc': gcText,
  'graph:archive': archiveText,
  // Upstream's words (its run_retire_compact_archive).
  'graph:retireCompactArchive': (r) =>
    r.abandoned_ids.length === 0 && r.stripped_edges === 0
      ? 'No legacy .compact-N or .archive-N tasks found — graph is already migrated.'
      : [
          r.dry_run ? 'Dry run — no changes written:' : 'Migration complete:',
          `  tasks abandoned: ${r.abandoned_ids.length}`,
          ...r.abandoned_ids.map((id) => `    ${id}`),
          `  after-edges stripped: ${r.stripped_edges}`,
        ].join('\n'),
  'archive:search': (tasks, _term, input) => archiveSearchText(tasks, String(input.query)),
  'archive:restore': archiveRestoreText,
};

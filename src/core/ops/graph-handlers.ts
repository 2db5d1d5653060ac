import { toDot, toMermaid } from '../graph/viz';
import { vizCriticalPath } from '../graph/analysis/viz-critical-path';
import { asciiTree } from '../graph/analysis/ascii-tree';
import { messageMarks } from '../messages/message-stats';
import { tasksToDraw } from '../graph/analysis/viz-filter';
import { phaseAnnotations } from '../graph/analysis/viz-phases';
import type { Handlers } from './context';
import { conflict, invalid } from '../../shared/errors';
import { section, updateToml } from '../config/toml-file';
import { carryTeamSettings, keepTeamSettingsInFile } from '../config/project-config';
import { readTeamSettings } from '../store/team-settings';
import { isStoreUrl, parseStoreUrl } from '../store/postgres/store-url';
import { copyStore } from '../store/store-copy';
import { readServiceState } from '../service-state/state-file';
import { processAlive } from '../processes/process-group';
import { archivedExportTask, type ExportTask, graphExportDot, inDateRange } from '../graph/export/graph-export-dot';
import { parseDayDate } from '../../shared/day-date';
import type { Task } from '../../shared/task';
import { tableAsText } from '../../shared/task-table';

/** A task of the graph as graph-export draws it (`requires` is one of upstream's fields kept in `extra`). */
const exportTask = (t: Task): ExportTask => ({
  id: t.id,
  title: t.title,
  status: t.status,
  assigned: t.assigned,
  after: t.after,
  requires: Array.isArray(t.extra.requires) ? t.extra.requires.filter((r): r is string => typeof r === 'string') : [],
  completed_at: t.completed_at,
});

export const graphHandlers: Handlers<
  'graph:snapshot' | 'graph:export' | 'graph:import' | 'graph:copy' | 'graph:viz' | 'graph:graphExport'
> = {
  'graph:snapshot': async ({ since, parts }, { store }) => {
    const snapshot = await store.snapshot(since);
    return parts ? { ...snapshot, tasks: tableAsText(snapshot.tasks) } : snapshot;
  },
  'graph:export': ({ upstream }, { store }) => store.exportJsonl({ upstream }),
  'graph:import': ({ jsonl }, { store }) => store.importJsonl(jsonl),
  'graph:copy': async ({ to, switch: keep }, { store, paths, service }) => {
    // A running coordinator keeps the store it opened: what went through it after a switch (runs' reports, people's
    // commands over HTTP) would be written to the graph this folder no longer uses, and lost to the team.
    const running = readServiceState(paths);
    if (keep && (service || (running && processAlive(running.pid)))) {
      throw conflict(
        `a coordinator runs in this project${running ? ` (pid ${running.pid})` : ''}; stop it (wg service stop), switch, then start it again`,
      );
    }
    if (keep && !isStoreUrl(to)) throw invalid('--switch keeps the graph in a PostgreSQL database: give --to a postgresql:// URL');
    if (keep && parseStoreUrl(to).hasPassword) {
      throw invalid("the URL holds a password; give it in PGPASSWORD or ~/.pgpass instead: the project's config is no place for it");
    }
    const { shown, counts } = await copyStore(store, to);
    if (isStoreUrl(to)) await carryTeamSettings(paths, to);
    if (keep) {
      updateToml(paths.config, (table) => {
        section(table, 'store').url = to;
      });
    }
    // Out of a team's graph into a file: the team's settings come along into config.toml, where an SQLite project keeps them.
    if (!isStoreUrl(to) && store.core.kind === 'postgres') {
      return { to: shown, counts, switched: false, settings_kept: keepTeamSettingsInFile(paths, await readTeamSettings(store.core)) };
    }
    return { to: shown, counts, switched: keep === true };
  },
  'graph:viz': async ({ dot, mermaid, criticalPath, ...filter }, { store }) => {
    const all = await store.list();
    const tasks = tasksToDraw(all, filter);
    // Upstream marks the critical path in --dot and --mermaid only; its ASCII tree does not either.
    const critical = criticalPath && (dot || mermaid) ? vizCriticalPath(tasks) : new Set<string>();
    const known = new Set(all.map((t) => t.id));
    const phases = phaseAnnotations(all, await store.agents.list({ working: true }));
    if (mermaid) return toMermaid(tasks, { critical, known, phases });
    if (dot) return toDot(tasks, { critical, known, phases });
    return asciiTree(tasks, { now: store.core.clock(), messages: await messageMarks(store.core, tasks), phases });
  },
  'graph:graphExport': async ({ archive, since, until }, { store, paths }) => {
    const from = since ? parseDayDate(since) : null;
    const to = until ? parseDayDate(until) : null;
    const tasks = (await store.list()).map((t) => ({ task: exportTask(t), archived: false }));
    // Read only when asked, as upstream's: a broken archive.jsonl fails only an export that includes it.
    const archived = archive
      ? (await import('../cleanup/archive-file')).readArchive(paths.dir).map((e) => ({ task: archivedExportTask(e.line), archived: true }))
      : [];
    return graphExportDot(
      [...tasks, ...archived].filter(({ task }) => inDateRange(task, from, to)),
      archive === true,
    );
  },
};

import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { op } from '../define';
import type {
  RunSnapshot,
  SnapshotDiff,
  SnapshotRestore,
  SpendReport,
  TimeStats,
  TodaySpend,
  TraceExport,
  TraceImportResult,
  TraceResult,
} from '../../history';
import { taskId, filled } from '../schemas';

/** A snapshot's folder under runs/: a name, never a path. */
const snapshotId = builtOnce(() =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a run snapshot id looks like run-001')
    .max(200),
);

/** Operations: what ran and what it cost (upstream's `wg trace`, `wg runs`, `wg spend`, `wg stats`). */
export const historyOps = {
  'trace:show': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Show the execution history of a task: its runs (where their prompts and outputs are, turns, tool calls, cost), operations, log, messages and evaluations. Not here: upstream's --graph and --animate (the window draws the graph)",
    input: () =>
      z.object({
        task: taskId(),
        full: z.boolean().optional().describe('show the whole prompt and output of each run'),
        opsOnly: z.boolean().optional().describe("show only upstream's operations log entries (and this app's log) for the task"),
        recursive: z.boolean().optional().describe('show the whole execution tree (the task and everything after it)'),
        timeline: z.boolean().optional().describe('show a chronological timeline with parallel lanes (implies --recursive)'),
      }),
    cli: { command: 'trace show', args: ['task'] },
  }).returns<TraceResult>(),
  'trace:export': op({
    kind: 'query',
    scope: 'store',
    summary: "Export trace data filtered by visibility zone, in upstream's trace export format",
    input: () =>
      z.object({
        root: taskId().optional().describe('export this task and everything after it (default: the whole graph)'),
        visibility: z
          .enum(['internal', 'public', 'peer'], { message: 'a visibility is internal, public or peer' })
          .default('internal')
          .describe('internal (everything), public (sanitized) or peer (richer, for credentialed peers)'),
      }),
    cli: { command: 'trace export', writesFile: { flag: 'output', short: 'o' } },
  }).returns<TraceExport>(),
  'trace:import': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Import a trace export file as read-only context (under imports/<source>/; nothing enters the graph)',
    input: () =>
      z.object({
        export: z.string().describe('the trace export (JSON)'),
        file: z.string().max(4096).optional().describe('the file it came from (its name is the default source)'),
        source: filled().max(200).optional().describe('source tag for the imported data (e.g. peer:alice, team:platform)'),
        dryRun: z.boolean().optional().describe('show what would be imported without importing'),
      }),
    cli: { command: 'trace import', args: ['export'], readsFile: 'export', readsFileName: 'file' },
    readsOnlyWhen: (input) => typeof input === 'object' && input !== null && (input as { dryRun?: unknown }).dryRun === true,
  }).returns<TraceImportResult>(),
  'snapshot:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List all run snapshots (graph snapshots upstream’s wg replay takes)',
    input: () => z.object({}),
    cli: { command: 'runs list' },
  }).returns<RunSnapshot[]>(),
  'snapshot:show': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show details of a run snapshot',
    input: () => z.object({ id: snapshotId() }),
    cli: { command: 'runs show', args: ['id'] },
  }).returns<RunSnapshot>(),
  'snapshot:diff': op({
    kind: 'query',
    scope: 'store',
    summary: 'Diff the current graph against a run snapshot (task statuses)',
    input: () => z.object({ id: snapshotId() }),
    cli: { command: 'runs diff', args: ['id'] },
  }).returns<SnapshotDiff>(),
  'snapshot:restore': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Restore the graph from a run snapshot (a safety snapshot of the graph now is taken first)',
    input: () => z.object({ id: snapshotId() }),
    cli: { command: 'runs restore', args: ['id'] },
  }).returns<SnapshotRestore>(),
  'usage:spend': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show token usage and cost: totals, by day, task, model and agent identity',
    input: () => z.object({ today: z.boolean().optional().describe("show only today's spend (UTC)") }),
    cli: { command: 'spend', short: { today: 't' }, jsonShort: 'j' },
  }).returns<SpendReport | TodaySpend>(),
  'usage:stats': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show time counters: service uptime, cumulative and active agent time',
    input: () => z.object({}),
    cli: { command: 'stats' },
  }).returns<TimeStats>(),
};

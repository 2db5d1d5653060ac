import { z } from 'zod';
import { op } from '../define';
import { type GraphSnapshot, PART_ROWS, type TaskTable, type TaskTableText } from '../../task-table';
import { numberText, status, taskId, filled } from '../schemas';
import { builtOnce } from '../../built-once';
import { parseDayDate } from '../../day-date';

/** What `wg store copy` copied, and where to. */
export interface StoreCopyResult {
  /** The target as shown to a person (no password). */
  to: string;
  counts: { tasks: number; task_log: number; agents: number; evaluations: number; messages: number; agency: number; rows: number };
  /** The project now keeps its graph there (its config.toml says so). */
  switched: boolean;
  /** A copy of a team's graph into a file: the team's settings written into this folder's config.toml (how many). */
  settings_kept?: number;
}

/** Upstream's --since/--until of graph-export: a day, YYYY-MM-DD (its parse_date). */
const exportDate = builtOnce(() =>
  z.string().refine((v) => parseDayDate(v) !== null, { message: 'a date is YYYY-MM-DD (for example 2024-06-15)' }),
);

/** Operations: graph. */
export const graphOps = {
  'graph:snapshot': op({
    kind: 'query',
    scope: 'store',
    summary: 'All tasks (as a table: the field names once, a row of values each) and agents with the store revision',
    input: () =>
      z.object({
        since: numberText(z.number().int().min(0)).optional(),
        parts: z
          .boolean()
          .optional()
          .describe(`the rows as JSON text, ${PART_ROWS} a part, for a client that reads a big plan a part at a time`),
      }),
  }).returns<GraphSnapshot<TaskTable | TaskTableText>>(),
  'graph:export': op({
    kind: 'query',
    scope: 'store',
    summary: 'Export the graph as JSONL',
    input: () =>
      z.object({
        upstream: z.boolean().optional().describe("upstream workgraph's graph.jsonl (numeric priorities, its field names)"),
      }),
    cli: { command: 'export', writesFile: true },
  }).returns<string>(),
  'graph:import': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Import JSONL (this app or upstream graph.jsonl)',
    input: () => z.object({ jsonl: z.string() }),
    cli: { command: 'import', args: ['jsonl'], readsFile: 'jsonl' },
  }).returns<{ imported: number; updated: number; loops: string[] }>(),
  'graph:copy': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Copy this project's whole graph (tasks and their logs, agent runs, evaluations, the agency, messages) into an empty store: a PostgreSQL database (a team's graph) or an SQLite file",
    input: () =>
      z.object({
        to: z
          .string()
          .trim()
          .min(1, 'to is empty: give a postgresql:// URL or a file')
          .describe('postgresql://user@host/db (a unix socket: postgresql:///db?host=/run/postgresql; &schema=NAME), or a file'),
        switch: z.boolean().optional().describe("then keep this project's graph there: writes [store] url to its config.toml"),
      }),
    cli: { command: 'store copy' },
  }).returns<StoreCopyResult>(),
  'graph:graphExport': op({
    kind: 'query',
    scope: 'store',
    summary:
      "The whole graph as Graphviz DOT, every task (internal ones too) coloured by status, with the archive's tasks when asked (upstream's wg graph-export)",
    input: () =>
      z.object({
        archive: z.boolean().optional().describe('include archived tasks (archive.jsonl), grey and dashed'),
        since: exportDate().optional().describe('only tasks completed/archived after this date (YYYY-MM-DD)'),
        until: exportDate().optional().describe('only tasks completed/archived before this date (YYYY-MM-DD)'),
      }),
    cli: { command: 'graph-export' },
  }).returns<string>(),
  'graph:viz': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Visualize the dependency graph (ASCII tree by default; --dot or --mermaid). By default only the parts with active work; a second dependency is named after ← where upstream draws an arc. Not here: upstream's --tui, --graph, -o/--output, --layout diamond, --edge-color, --columns, --no-tui/--static, --no-mouse (output is always static)",
    input: () =>
      z
        .object({
          focus: z.array(taskId()).optional().describe('task ids to focus on: shows only their connected parts'),
          dot: z.boolean().optional().describe('Graphviz dot'),
          mermaid: z.boolean().optional().describe('Mermaid flowchart'),
          all: z.boolean().optional().describe('show all tasks, fully done parts too'),
          // Upstream matches any word and draws nothing for a misspelt one; refused here as `wg list --status` refuses it.
          status: status().optional().describe('only tasks with this status (waiting takes in pending-validation, as upstream)'),
          tags: z.array(filled()).optional().describe('only tasks with every one of these tags'),
          showInternal: z.boolean().optional().describe('show system tasks (.assign-…, .evaluate-…)'),
          criticalPath: z
            .boolean()
            .optional()
            .describe(
              'highlight the critical path in red (with --dot or --mermaid; the ASCII tree does not mark it, as upstream’s does not)',
            ),
        })
        // One format is printed: upstream's clap refuses the two together (conflicts_with_all), and so does this.
        .refine((v) => v.dot !== true || v.mermaid !== true, { message: 'give either --dot or --mermaid, not both' }),
    cli: { command: 'viz', args: ['focus'], flags: { tags: 'tag' } },
  }).returns<string>(),
};

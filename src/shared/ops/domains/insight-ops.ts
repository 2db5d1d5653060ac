import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { op } from '../define';
import type {
  BlockerInfo,
  Bottlenecks,
  CriticalPath,
  DependentsContext,
  GraphCheck,
  StatusReport,
  TaskContext,
  TaskCost,
  WhyBlocked,
} from '../../insight';
import type { CyclesReport, HtmlSummary, ImpactReport, PlanReport } from '../../planning';
import { numberText, taskId } from '../schemas';

const byId = builtOnce(() => z.object({ id: taskId() }));

/**
 * Operations: upstream's read-only views of the graph (`wg status`, `wg why-blocked`, `wg check`, …),
 * with its names, arguments and `--json` shapes.
 */
export const insightOps = {
  'graph:status': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Quick one-screen status overview: service, agents, tasks, recent completions (upstream's cycle and verify widgets have no counterpart here)",
    input: () => z.object({ all: z.boolean().optional().describe('count system tasks (.assign-…, .evaluate-…) too') }),
    cli: { command: 'status' },
  }).returns<StatusReport>(),
  'task:context': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show available context for a task from its dependencies (their artifacts and results)',
    input: () =>
      z.object({
        task: taskId(),
        dependents: z.boolean().optional().describe("show the tasks that depend on this task's outputs instead"),
      }),
    cli: { command: 'context', args: ['task'] },
  }).returns<TaskContext | DependentsContext>(),
  'task:blocked': op({
    kind: 'query',
    scope: 'store',
    summary: "Show what's blocking a task (its dependencies not done or abandoned)",
    input: () => byId(),
    cli: { command: 'blocked', args: ['id'] },
  }).returns<BlockerInfo[]>(),
  'task:whyBlocked': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show the full transitive chain explaining why a task is blocked',
    input: () => byId(),
    cli: { command: 'why-blocked', args: ['id'] },
  }).returns<WhyBlocked>(),
  'graph:check': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Check the graph for issues: cycles, orphan references, stale assignments, stuck blocked tasks, wrong readiness counts in graph.db (exits 1 on errors; upstream's resource `requires` are not checked: this app has no resources)",
    input: () => z.object({}),
    cli: { command: 'check', failsWhenNotOk: true },
  }).returns<GraphCheck>(),
  'task:cost': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Calculate cost of a task including dependencies (upstream's estimates, or what a task's runs spent where that is more; and what their runs spent)",
    input: () => byId(),
    cli: { command: 'cost', args: ['id'] },
  }).returns<TaskCost>(),
  'graph:criticalPath': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show the critical path (longest dependency chain of active tasks, by estimated hours)',
    input: () => z.object({}),
    cli: { command: 'critical-path' },
  }).returns<CriticalPath>(),
  'graph:bottlenecks': op({
    kind: 'query',
    scope: 'store',
    summary: 'Find tasks blocking the most downstream work (by tasks transitively waiting on them)',
    input: () => z.object({}),
    cli: { command: 'bottlenecks' },
  }).returns<Bottlenecks>(),
  'graph:cycles': op({
    kind: 'query',
    scope: 'store',
    summary: "Analyze structural cycles in after edges (Tarjan's SCC): each loop's header, members, reducibility and back edges",
    input: () => z.object({}),
    cli: { command: 'cycles' },
  }).returns<CyclesReport>(),
  'task:impact': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show impact analysis - what tasks depend on this one, and the estimated hours at risk if it slips',
    input: () => byId(),
    cli: { command: 'impact', args: ['id'] },
  }).returns<ImpactReport>(),
  'graph:plan': op({
    kind: 'query',
    scope: 'store',
    summary:
      "Plan what work fits within a budget or hour constraint (from the tasks' estimates): ready tasks first, then those the plan lets start; without either, the open work and its estimates",
    input: () =>
      z.object({
        budget: numberText(z.number({ error: 'a budget is a number of dollars' }).finite())
          .optional()
          .describe('available budget (dollars)'),
        hours: numberText(z.number({ error: 'hours is a number' }).finite())
          .optional()
          .describe('available hours'),
      }),
    cli: { command: 'plan' },
  }).returns<PlanReport>(),
  'graph:html': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Render the graph as a static site (index.html, style.css, a page per task) in --out: every task by default, only `visibility = public` ones with --public-only; a description shown as its text. Not here: upstream's --chat (no chat transcripts here) and `html publish`",
    input: () =>
      z
        .object({
          out: z.string().min(1).max(4096).default('./public').describe('output directory (will be created if missing)'),
          publicOnly: z.boolean().optional().describe('restrict to tasks with `visibility = public`'),
          all: z.boolean().optional().describe('upstream’s switch for every chat transcript: a no-op here (no chats)'),
          since: z.string().max(20).optional().describe('only include tasks active within this time window (e.g. 1h, 24h, 7d, 30d)'),
        })
        .refine((v) => !(v.publicOnly && v.all), { error: '--public-only and --all cannot be used together' }),
    cli: { command: 'html', aliases: { publicOnly: ['public'] } },
  }).returns<HtmlSummary>(),
};

import { readyAfterMs, type Evaluation, type JsonValue, type TaskDetail, type TaskLink } from '../shared/task';
import { paint, paintStatus, when, type Terminal } from './terminal';
import { taskWorktreeLines } from './worktree-format';
import { countdownAfter, pausedMark } from './task-markers';
import { describeWaitSpec, readWaitSpec } from '../shared/wait-condition';
import type { Listed } from '../shared/needs-you';
import { DEFAULT_RETRY_BUDGET, retriesText, retryBudget } from '../shared/retry-budget';
import { estimateOf } from '../core/graph/analysis/task-index';

/** Score lines as seed 004's task page shows them: the score, then each dimension under it. */
export function evaluationLines(evaluation: Evaluation): string[] {
  return [
    ['Eval score', String(evaluation.score)],
    ...Object.entries(evaluation.dimensions).map(([name, score]) => [`└ ${name.replace(/_/g, ' ')}`, String(score)]),
  ].map(([label, value]) => `${label}: ${value}`);
}

/** A task parked by `wg wait`: its condition in words. */
function waitingText(task: TaskDetail): string {
  const spec = readWaitSpec(task.extra);
  return spec ? describeWaitSpec(spec) : 'no condition (set by hand)';
}

/**
 * For a task that could be started: whether it is ready, else why not (paused is said beside the
 * status), in the window's words: what holds it (blocked by failed X, waiting on X, waiting for an
 * agent daemon) comes with the task (shared/task-hold.ts, the coordinator's agentd:status).
 */
function readiness(task: TaskDetail, term: Terminal): string {
  if (task.hold) return task.hold;
  if (task.ready) return 'ready';
  if ((task.status !== 'open' && task.status !== 'incomplete') || task.paused) return '';
  // The later of its two times holds it: not_before (its schedule) and upstream's ready_after (a retry's or a loop's delay).
  const notBefore = task.not_before ? Date.parse(task.not_before) : Number.NaN;
  const readyAfter = readyAfterMs(task.extra) ?? Number.NaN;
  const at = (ms: number) => (term.tty ? when(new Date(ms).toISOString(), term) : `at ${new Date(ms).toISOString()}`);
  if (readyAfter > term.now.getTime() && !(notBefore > readyAfter)) {
    // `wg incomplete` sets it on a task that goes back for another attempt; a loop's delay on an open one.
    return task.status === 'incomplete' ? `in its retry delay, starts again ${at(readyAfter)}` : `delayed, starts ${at(readyAfter)}`;
  }
  if (notBefore > term.now.getTime()) return `not due yet, starts ${at(notBefore)}`;
  return 'not ready';
}

function links(items: readonly TaskLink[], term: Terminal): string[] {
  if (items.length === 0) return ['  (none)'];
  return items.map((l) => `  - ${l.id} (${l.status === null ? 'not in this graph' : paintStatus(l.status, term)})`);
}

/** Upstream's fields `wg show` names as upstream's does (`Skills: a, b`, `Verify:`), from a task's extra. */
const NAMED_EXTRA: ReadonlyArray<[key: string, label: string]> = [
  ['visibility', 'Visibility'],
  ['skills', 'Skills'],
  ['verify', 'Verify'],
  ['timeout', 'Timeout'],
  ['failure_class', 'Failure class'],
];

function extraText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

const shownExtra = (value: JsonValue | undefined): value is JsonValue =>
  value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/** What a person does about each of upstream's failure classes, in upstream's words (its `wg show` hint). */
const FAILURE_CLASS_HINTS: Readonly<Record<string, string>> = {
  'api-error-400-document': 'fix the input (malformed/encrypted PDF or document) before retry — do not auto-retry',
  'api-error-429-rate-limit': 'rate limit — back off and retry',
  'api-error-5xx-transient': 'transient upstream error — retry is safe',
  'agent-hard-timeout': 'agent exceeded hard timeout — split task or raise timeout',
  'agent-exit-nonzero': 'generic non-zero exit — inspect agent output for details',
  'wrapper-internal': 'wrapper-side issue — inspect the wrapper log (output.log)',
};

function namedExtraLines(task: TaskDetail): Array<[string, string]> {
  return NAMED_EXTRA.filter(([key]) => shownExtra(task.extra[key])).flatMap(([key, label]): Array<[string, string]> => {
    const text = extraText(task.extra[key] as JsonValue);
    const hint = key === 'failure_class' && Object.hasOwn(FAILURE_CLASS_HINTS, text) ? FAILURE_CLASS_HINTS[text] : undefined;
    return hint
      ? [
          [label, text],
          ['Hint', hint],
        ]
      : [[label, text]];
  });
}

/**
 * Upstream's fields the page gives in its own lines (timeLines, Superseded by, Schedule), not again under their raw
 * names: a cron task's next fire is its not_before here, and the imported `next_cron_fire` goes stale once it fires.
 */
const OWN_LINES = new Set([
  'ready_after',
  'last_interaction_at',
  'superseded_by',
  'cron_enabled',
  'cron_schedule',
  'next_cron_fire',
  'estimate',
]);

/** Upstream's estimate line (`Estimate: 8.25h, $5`: its show's estimate section), or null without one. */
function estimateText(task: TaskDetail): string | null {
  const hours = estimateOf(task, 'hours');
  const cost = estimateOf(task, 'cost');
  const parts = [...(hours === null ? [] : [`${hours}h`]), ...(cost === null ? [] : [`$${cost}`])];
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Other upstream fields, one line each, short. */
function extraLines(task: TaskDetail): Array<[string, string]> {
  const named = new Set([...NAMED_EXTRA.map(([key]) => key), ...OWN_LINES]);
  return Object.entries(task.extra)
    .filter(([key, value]) => !named.has(key) && shownExtra(value))
    .map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
}

/**
 * Upstream's time lines, in its own words (`Not before: … (in 5m 0s)`): when the task may start
 * (`not_before`), the delay upstream set (`ready_after`), and when anyone last changed it
 * (`last_interaction_at`; a task from before upstream kept it: when it was created).
 */
function timeLines(task: TaskDetail, term: Terminal): string[] {
  const readyAfter = task.extra.ready_after;
  const lastInteraction = task.extra.last_interaction_at;
  // The terminal's time (a test's fixed one); PLAIN_TERMINAL's epoch means it was not given.
  const now = term.now.getTime() || Date.now();
  return [
    ...(task.not_before ? [`Not before: ${task.not_before}${countdownAfter(task.not_before, now)}`] : []),
    ...(typeof readyAfter === 'string' ? [`Ready after: ${readyAfter}${countdownAfter(readyAfter, now)}`] : []),
    `Last interaction: ${typeof lastInteraction === 'string' ? lastInteraction : task.created_at}`,
  ];
}

/**
 * `wg show` for people, laid out as workgraph's task page (seed 004): the metadata once each, the
 * description, "Depends on" beside "Required by", then the log. Times are relative on a terminal.
 */
export function taskPage(task: Listed<TaskDetail>, term: Terminal): string {
  const state = readiness(task, term);
  const meta: Array<[string, string | null]> = [
    ['Status', `${paintStatus(task.status, term)}${pausedMark(task)}${state ? `, ${state}` : ''}`],
    // Whose move it is, and how to make it: an approval reads "pending-validation", a wait for a reply "waiting".
    ['Needs you', task.needs_you ? `${task.needs_you.label}: ${task.needs_you.todo}` : null],
    ['Priority', `${task.priority} (${task.priority_value})`],
    ['Assigned', task.assigned],
    ['Agent identity', task.agent !== task.assigned ? task.agent : null],
    ['Created', when(task.created_at, term)],
    ['Started', when(task.started_at, term)],
    ['Completed', when(task.completed_at, term)],
    ['Tags', task.tags.join(', ') || null],
    ['Estimate', estimateText(task)],
    ...namedExtraLines(task),
    ['Model', task.model],
    ['Executor', task.executor],
    ['Exec', task.exec],
    ['Schedule', task.schedule],
    ['Waiting', task.status === 'waiting' ? waitingText(task) : null],
    [
      'Retries',
      task.retry_count > 0 ? retriesText(task.retry_count, task.retry_limit ?? retryBudget(task.max_retries, DEFAULT_RETRY_BUDGET)) : null,
    ],
    ['Failure', task.failure_reason],
    ['Superseded by', Array.isArray(task.extra.superseded_by) ? task.extra.superseded_by.join(', ') : null],
    ['Session', task.session_id],
    // Tokens without a price (a model with no cost_in/cost_out, a CLI that reports none): unknown, not $0.0000.
    [
      'Cost',
      task.cost_usd > 0 || task.tokens_in > 0
        ? `${task.cost_usd > 0 ? `$${task.cost_usd.toFixed(4)}` : 'unknown'} (${task.tokens_in} tokens in, ${task.tokens_out} out)`
        : null,
    ],
    ['Artifacts', task.artifacts.join(', ') || null],
    ['Results', Object.keys(task.results).length ? JSON.stringify(task.results) : null],
    ...taskWorktreeLines(task.worktree),
    ...extraLines(task),
  ];
  const shown = meta.filter((entry): entry is [string, string] => entry[1] !== null && entry[1] !== '');
  const width = Math.max(...shown.map(([label]) => label.length));
  const lines = [paint(`${task.id}: ${task.title}`, 'bold', term), ...shown.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)];
  if (task.evaluation) lines.push(...evaluationLines(task.evaluation).map((line) => `  ${line}`));
  if (task.description) lines.push('', paint('Description', 'bold', term), ...task.description.split('\n').map((l) => `  ${l}`));
  lines.push('', paint('Depends on', 'bold', term), ...links(task.dependencies, term));
  lines.push(paint('Required by', 'bold', term), ...links(task.required_by, term));
  lines.push('', ...timeLines(task, term));
  if (task.log.length) {
    lines.push('', paint('Log', 'bold', term));
    for (const entry of task.log)
      lines.push(`  - ${when(entry.timestamp, term)} ${paint(`[${entry.actor || entry.user || '-'}]`, 'dim', term)} ${entry.message}`);
  }
  return lines.join('\n');
}

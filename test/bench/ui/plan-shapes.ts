import type { ExecutorProfile } from '../../../src/shared/config-types';
import type { Evaluation, Task, TaskStatus } from '../../../src/shared/task';
import { seededRandom } from '../../helpers/seeded-random';
import { makeTask } from '../../renderer/support/fixtures';
import { connectedDag } from './big-graph';

/**
 * Plans shaped like real ones, for the window's tests and bench: a mid-size project as upstream's
 * workgraph writes it (each task with its `.assign-`, `.flip-` and `.evaluate-` tasks), a big
 * connected plan whose failures lie spread along its frontier, a fan and a chain.
 */

const MINUTE = 60_000;
const ago = (now: number, ms: number) => new Date(now - ms).toISOString();

/** A manual executor profile: a task given it waits for a person ("needs you"). */
export const PERSON_EXECUTOR: ExecutorProfile = {
  name: 'person',
  type: 'manual',
  command: null,
  args: [],
  endpoint: null,
  method: null,
  model: null,
  timeout: null,
  repo: null,
  role: null,
  builtin: false,
};

/** Fifty tasks of a product plan, in phases, each after one or two before it: the work a person imports. */
const PRODUCT_PLAN: ReadonlyArray<[string, string, string[]]> = [
  ['spec', 'Write the product spec', []],
  ['research-users', 'Interview five customers about billing', ['spec']],
  ['design-schema', 'Design the database schema', ['spec']],
  ['design-api', 'Design the public API', ['design-schema']],
  ['design-ui', 'Sketch the settings and billing screens', ['research-users']],
  ['migrations', 'Write the migrations', ['design-schema']],
  ['auth', 'Authentication with passkeys', ['design-api']],
  ['api-accounts', 'Build the accounts endpoints', ['migrations', 'auth']],
  ['api-invoices', 'Build the invoices endpoints', ['migrations']],
  ['api-payments', 'Build the payments endpoints', ['api-accounts']],
  ['webhooks', 'Handle payment provider webhooks', ['api-payments']],
  ['rate-limits', 'Rate limits per API key', ['auth']],
  ['search-index', 'Search index for invoices', ['api-invoices']],
  ['exports', 'CSV and PDF exports', ['api-invoices']],
  ['audit-log', 'Audit log of account changes', ['api-accounts']],
  ['notifications', 'Email notifications for failed payments', ['webhooks']],
  ['ui-shell', 'Page layout and navigation', ['design-ui']],
  ['ui-settings', 'Settings page', ['ui-shell', 'api-accounts']],
  ['i18n-settings', 'Internationalise the settings page', ['ui-settings']],
  ['ui-invoices', 'Invoice list with filters', ['ui-shell', 'api-invoices']],
  ['ui-payment', 'Payment form with card entry', ['ui-shell', 'api-payments']],
  ['ui-receipts', 'Receipts and refunds screen', ['ui-invoices']],
  ['accessibility', 'Accessibility pass over every form', ['ui-payment', 'ui-settings']],
  ['dark-mode', 'Dark mode for the billing screens', ['ui-invoices']],
  ['onboarding', 'First-run onboarding checklist', ['ui-settings']],
  ['infra-db', 'Provision the production database', ['migrations']],
  ['infra-queues', 'Job queue for webhooks and emails', ['infra-db']],
  ['infra-monitoring', 'Dashboards and alerts', ['infra-queues']],
  ['infra-backups', 'Nightly backups with restore drill', ['infra-db']],
  ['infra-staging', 'Staging environment', ['infra-queues', 'api-payments']],
  ['infra-secrets', 'Secrets rotation', ['infra-staging']],
  ['qa-unit', 'Unit tests for the billing rules', ['api-payments', 'api-invoices']],
  ['qa-contract', 'Contract tests against the payment provider', ['webhooks']],
  ['qa-e2e', 'End-to-end tests of checkout', ['ui-payment', 'infra-staging']],
  ['qa-load', 'Load test the APIs', ['infra-staging']],
  ['qa-security', 'Security review of the payment flow', ['webhooks', 'auth']],
  ['qa-i18n', 'Internationalisation review in four languages', ['i18n-settings']],
  ['qa-a11y', 'Screen reader walkthrough', ['accessibility']],
  ['docs-api', 'API reference', ['design-api', 'api-payments']],
  ['docs-guide', 'Getting started guide', ['onboarding']],
  ['docs-changelog', 'Changelog entry', ['docs-guide']],
  ['legal', 'Terms and privacy review', ['spec']],
  ['pricing', 'Pricing page copy', ['legal']],
  ['beta-invite', 'Invite twenty beta customers', ['qa-e2e', 'pricing']],
  ['beta', 'Beta with twenty customers', ['beta-invite']],
  ['beta-feedback', 'Triage the beta feedback', ['beta']],
  ['release-plan', 'Release plan and rollback steps', ['beta-feedback', 'infra-monitoring']],
  ['release', 'Release to everyone', ['release-plan', 'qa-load', 'qa-security', 'docs-changelog']],
  ['announce', 'Announce the release', ['release']],
  ['retro', 'Release retrospective', ['release']],
];

/** Failure reasons as runs write them: with the terminal's colour codes. */
const FAILURES: Record<string, string> = {
  'audit-log': 'exit code 1: \u001b[31mPOST /audit/events returned 404\u001b[0m (expected 201)',
  'search-index': 'exit code 2: \u001b[1m\u001b[31merror[E0308]\u001b[0m: mismatched types in src/index.rs',
  'i18n-settings': 'exit code 1: \u001b[33mwarning:\u001b[0m 14 strings untranslated\n\u001b[31m3 snapshot tests failed\u001b[0m',
};
const RUNNING = ['api-payments', 'ui-invoices', 'infra-queues', 'exports'];
const NEEDS_YOU = 'legal';
/** Done a few minutes ago (their evaluations running). */
const JUST_DONE = ['infra-db', 'rate-limits'];
/** Done long ago: the plan's first part. */
const DONE_FIRST = [
  'spec',
  'research-users',
  'design-schema',
  'design-api',
  'design-ui',
  'migrations',
  'auth',
  'api-accounts',
  'api-invoices',
  'ui-shell',
  'ui-settings',
];

function statusOf(id: string): TaskStatus {
  if (RUNNING.includes(id)) return 'in-progress';
  if (id in FAILURES) return 'failed';
  if (DONE_FIRST.includes(id) || JUST_DONE.includes(id)) return 'done';
  return 'open';
}

/**
 * A 200-task project shaped like an upstream import: 50 tasks of a product plan, each with upstream's
 * system tasks around it (`.assign-X` before X, `.flip-X` and `.evaluate-X` after), all connected.
 * The first part is done and scored (one evaluation a failing 55%, one a passing 78%, the rest
 * higher), then the frontier: four running, three failed (their reasons with colour codes), one
 * waiting for a person (the `person` executor: PERSON_EXECUTOR), two done minutes ago and being
 * evaluated; the rest waits. The `.assign-` tasks of what has not started are ready, as upstream
 * leaves them.
 */
export function mixedProject(now: number = Date.now()): Task[] {
  const tasks: Task[] = [];
  PRODUCT_PLAN.forEach(([id, title, after], index) => {
    const own = statusOf(id);
    const done = own === 'done';
    const started = own !== 'open';
    const recent = JUST_DONE.includes(id);
    const completed = recent
      ? ago(now, (3 + (index % 3)) * MINUTE)
      : own === 'failed'
        ? ago(now, (20 + index) * MINUTE)
        : ago(now, (900 - 10 * index) * MINUTE);
    tasks.push(
      makeTask({
        id: `.assign-${id}`,
        title: `Assign agent for ${id}`,
        status: started || id === NEEDS_YOU ? 'done' : 'open',
        tags: ['assignment', 'agency'],
        completed_at: started ? completed : null,
      }),
    );
    tasks.push(
      makeTask({
        id,
        title,
        after: [`.assign-${id}`, ...after],
        status: own,
        tags: [id.split('-')[0] ?? id],
        executor: id === NEEDS_YOU ? PERSON_EXECUTOR.name : null,
        model: started ? 'claude:opus' : null,
        assigned: own === 'in-progress' ? `agent-${100 + index}` : null,
        started_at: started ? ago(now, (own === 'in-progress' ? 4 + (index % 7) : 960 - 10 * index) * MINUTE) : null,
        completed_at: done || own === 'failed' ? completed : null,
        failure_reason: FAILURES[id] ?? null,
        evaluation: done && !recent ? evaluation(index, completed) : null,
      }),
    );
    tasks.push(
      makeTask({
        id: `.flip-${id}`,
        title: `FLIP check of ${id}`,
        after: [id],
        status: done ? 'done' : 'open',
        tags: ['flip', 'agency'],
        completed_at: done ? completed : null,
      }),
    );
    tasks.push(
      makeTask({
        id: `.evaluate-${id}`,
        title: `Evaluate ${id}`,
        after: [`.flip-${id}`],
        status: recent ? 'in-progress' : done ? 'done' : 'open',
        tags: ['evaluation', 'agency'],
        started_at: recent ? ago(now, MINUTE) : null,
        completed_at: done && !recent ? completed : null,
      }),
    );
  });
  return tasks;
}

/** Most pass; one scores a failing 55%, one a passing 78% (the threshold is 70%). */
function evaluation(index: number, at: string): Evaluation {
  const score = index === 4 ? 0.55 : index === 5 ? 0.78 : 0.82 + (index % 4) * 0.04;
  return {
    score,
    dimensions: { correctness: score, completeness: score },
    evaluator: 'reviewer',
    notes: null,
    timestamp: at,
    source: 'llm',
  };
}

/**
 * One connected plan of `count` tasks (`connectedDag`'s shape: each task after one to three of the
 * hundred before it) worked on as agents do: the first 40% done long ago, then a frontier band of
 * 600 tasks done in order, except `failures` failed tasks and `running` running ones spread along it
 * (those whose dependencies are done when their turn comes), whatever depends on them waiting; the
 * last three done of the band were done minutes ago.
 */
export function failingPlan(count = 10_000, failures = 12, running = 8, now: number = Date.now()): Task[] {
  const tasks = connectedDag(count);
  const band = { from: Math.floor(count * 0.4), to: Math.floor(count * 0.4) + 600 };
  const random = seededRandom(7);
  // The places along the band where a run failed or is running, spread evenly; which is which, shuffled.
  const kinds: TaskStatus[] = [...Array<TaskStatus>(failures).fill('failed'), ...Array<TaskStatus>(running).fill('in-progress')];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as TaskStatus, kinds[i] as TaskStatus];
  }
  // Along the first part of the band, where agents work side by side: past a few failures, little further down can run.
  const step = 160 / kinds.length;
  const wanted = kinds.map((kind, k) => ({ at: Math.floor(band.from + 5 + k * step), kind }));
  const status = new Map<string, TaskStatus>();
  const recent: Task[] = [];
  for (const [index, task] of tasks.entries()) {
    const ready = task.after.every((dep) => status.get(dep) === 'done');
    let next: TaskStatus = index < band.from ? 'done' : 'open';
    if (index >= band.from && index < band.to && ready) {
      // The next place asked for takes the first task at or after it that can run.
      const slot = wanted.find((w) => w.at <= index);
      if (slot) {
        wanted.splice(wanted.indexOf(slot), 1);
        next = slot.kind;
      } else next = 'done';
    }
    status.set(task.id, next);
    task.status = next;
    task.started_at = next === 'open' ? null : ago(now, next === 'in-progress' ? 5 * MINUTE : 300 * MINUTE);
    task.completed_at = next === 'done' || next === 'failed' ? ago(now, 200 * MINUTE) : null;
    task.failure_reason = next === 'failed' ? `exit code 1: \u001b[31mtest ${task.id} failed\u001b[0m` : null;
    if (next === 'done' && index >= band.from) recent.push(task);
  }
  for (const [k, task] of recent.slice(-3).entries()) task.completed_at = ago(now, (2 + k) * MINUTE);
  return tasks;
}

/** How many tasks of a plan have a status. */
export const countStatus = (tasks: readonly Task[], status: TaskStatus) => tasks.filter((task) => task.status === status).length;

/**
 * A fan: one task, `width` tasks after it, one task after all of them (a plan that splits a job into
 * thousands of parts and joins them). The first is done, a hundred parts done, four running, two
 * failed; the rest are ready, the last waits.
 */
export function fanPlan(width = 5000, now: number = Date.now()): Task[] {
  const parts = Array.from({ length: width }, (_, i) => {
    const status: TaskStatus = i < 100 ? 'done' : i < 104 ? 'in-progress' : i < 106 ? 'failed' : 'open';
    return makeTask({
      id: `part-${i}`,
      title: `Convert file ${i} of the archive`,
      after: ['split'],
      status,
      started_at: status === 'open' ? null : ago(now, 4 * MINUTE),
      completed_at: status === 'done' || status === 'failed' ? ago(now, 60 * MINUTE) : null,
      failure_reason: status === 'failed' ? 'exit code 3: unreadable header' : null,
    });
  });
  return [
    makeTask({ id: 'split', title: 'Split the archive into files', status: 'done', completed_at: ago(now, 120 * MINUTE) }),
    ...parts,
    makeTask({ id: 'join', title: 'Join the converted files', after: parts.map((part) => part.id) }),
  ];
}

/** A chain of `length` tasks, each after the one before: the first `done` done, the next running. */
export function chainPlan(length = 2000, done = 40, now: number = Date.now()): Task[] {
  return Array.from({ length }, (_, i) =>
    makeTask({
      id: `step-${i}`,
      title: `Step ${i}: migrate table ${i}`,
      after: i > 0 ? [`step-${i - 1}`] : [],
      status: i < done ? 'done' : i === done ? 'in-progress' : 'open',
      started_at: i <= done ? ago(now, (done - i + 1) * 5 * MINUTE) : null,
      completed_at: i < done ? ago(now, (done - i) * 5 * MINUTE) : null,
    }),
  );
}

/**
 * Wide layers: `layers` stages of `width` tasks each, every task after one to three tasks of the
 * stage before it (seeded, so the same plan every run), as a plan that fans a batch job out over
 * many files stage by stage: the first two stages done, four of the third running and two failed,
 * the rest waiting.
 */
export function wideLayers(layers = 20, width = 500, now: number = Date.now()): Task[] {
  const random = seededRandom(38);
  const tasks: Task[] = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < width; i++) {
      const after = new Set<string>();
      if (layer > 0) {
        const count = 1 + Math.floor(random() * 3);
        for (let k = 0; k < count; k++) after.add(`l${layer - 1}-${Math.floor(random() * width)}`);
      }
      const status: TaskStatus = layer < 2 ? 'done' : layer === 2 && i < 4 ? 'in-progress' : layer === 2 && i < 6 ? 'failed' : 'open';
      tasks.push(
        makeTask({
          id: `l${layer}-${i}`,
          title: `Stage ${layer}: process shard ${i}`,
          after: [...after],
          status,
          started_at: status === 'open' ? null : ago(now, 30 * MINUTE),
          completed_at: status === 'done' || status === 'failed' ? ago(now, 10 * MINUTE) : null,
          failure_reason: status === 'failed' ? 'exit code 1: shard checksum mismatch' : null,
        }),
      );
    }
  }
  return tasks;
}

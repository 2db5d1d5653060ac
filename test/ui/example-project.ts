import type { BrowserModeServer } from './harness';

/** A run that prints in colour before it waits, so the Run output screenshots show a terminal at work. */
const WEBHOOK_TESTS = [
  "printf '\\033[1m$ pytest tests/webhooks\\033[0m\\n'",
  "printf 'test_signature \\033[32mPASSED\\033[0m\\ntest_retry_backoff \\033[32mPASSED\\033[0m\\n'",
  "printf '\\033[33mwarning:\\033[0m handler took 1.2s (limit 1s)\\n'",
  'sleep 300',
].join('; ');

/**
 * A 26-task project ("launch the billing page") with every state a card can show: done, running
 * (two shell tasks that sleep, the agent limit full), ready (queued behind them), waiting,
 * needs you (manual), scheduled, paused, failed and abandoned; cross-links make a layered layout
 * route edges between cards. The default executor is manual, so nothing calls an AI agent.
 */
export const EXAMPLE_TASKS: ReadonlyArray<{ id: string; title: string; after?: string[]; extra?: Record<string, unknown> }> = [
  { id: 'spec', title: 'Write the billing spec' },
  { id: 'schema', title: 'Design the database schema', after: ['spec'] },
  { id: 'migrations', title: 'Write the migrations', after: ['schema'] },
  { id: 'api-invoices', title: 'Build the invoices API', after: ['migrations'], extra: { executor: 'shell', exec: 'sleep 300' } },
  { id: 'api-payments', title: 'Build the payments API', after: ['migrations'], extra: { executor: 'shell', exec: 'sleep 300' } },
  { id: 'webhooks', title: 'Handle payment webhooks', after: ['migrations'], extra: { executor: 'shell', exec: WEBHOOK_TESTS } },
  { id: 'ui-shell', title: 'Page layout and navigation', after: ['spec'] },
  { id: 'ui-invoices', title: 'Invoice list view', after: ['api-invoices', 'ui-shell'] },
  { id: 'ui-payment', title: 'Payment form with card entry', after: ['api-payments', 'ui-shell'] },
  { id: 'ui-receipts', title: 'Receipts and PDF export', after: ['ui-invoices'] },
  { id: 'tax', title: 'Tax rules per country', after: ['schema'] },
  { id: 'currency', title: 'Currency formatting', after: ['spec'] },
  { id: 'i18n', title: 'Translate the billing page', after: ['ui-invoices', 'ui-payment', 'currency'] },
  { id: 'design-review', title: 'Design review with the team', after: ['ui-shell'] },
  { id: 'security', title: 'Security review of the payment flow', after: ['api-payments', 'webhooks'] },
  { id: 'load-test', title: 'Load test the APIs', after: ['api-invoices', 'api-payments'] },
  { id: 'e2e', title: 'End-to-end tests', after: ['ui-receipts', 'ui-payment'] },
  { id: 'docs', title: 'Write the user docs', after: ['ui-invoices'], extra: { paused: true } },
  { id: 'changelog', title: 'Changelog entry', after: ['docs'] },
  {
    id: 'nightly',
    title: 'Nightly invoice run',
    after: ['migrations'],
    extra: { executor: 'scheduled', schedule: '0 3 * * *', exec: 'true' },
  },
  { id: 'monitoring', title: 'Dashboards and alerts', after: ['api-invoices'] },
  { id: 'feature-flag', title: 'Feature flag for the rollout', after: ['spec'] },
  { id: 'staging', title: 'Deploy to staging', after: ['e2e', 'security', 'load-test', 'feature-flag'] },
  { id: 'beta', title: 'Beta with 20 customers', after: ['staging'] },
  { id: 'release', title: 'Release to everyone', after: ['beta', 'i18n', 'changelog'] },
  { id: 'retro', title: 'Release retrospective', after: ['release'] },
];

const SPEC = `## Scope

| Plan | Monthly | Yearly |
| --- | ---: | ---: |
| Starter | $9 | $90 |
| Team | $29 | $290 |

- [x] Invoices and receipts
- [ ] Refunds (next release)

See https://example.com/billing-rfc for the RFC.`;

export async function seedExample(server: BrowserModeServer): Promise<void> {
  // Nothing ready may go to an AI agent; two runs at a time keeps the third shell task queued (ready).
  await server.call('config:update', { executor: 'manual', maxAgents: 2 });
  await server.call('service:reload', {});
  for (const task of EXAMPLE_TASKS) {
    // Created paused and published once the graph is whole, so the coordinator starts the
    // runnable ones only after their dependencies are marked done below.
    await server.call('task:add', { title: task.title, id: task.id, after: task.after, paused: true, ...task.extra });
  }
  await server.call('task:edit', { id: 'spec', description: SPEC, tags: ['planning'] });
  await server.call('task:done', { id: 'spec' });
  await server.call('task:done', { id: 'schema', artifacts: ['db/schema.sql', 'https://example.com/erd.png'] });
  for (const id of ['migrations', 'ui-shell', 'currency', 'feature-flag']) await server.call('task:done', { id });
  await server.call('task:log', { id: 'schema', message: 'Reviewed the indexes with the DBA', actor: 'planner' });
  await server.call('eval:record', { id: 'schema', score: 0.86, dim: { correctness: 0.9, clarity: 0.8 }, evaluator: 'reviewer' });
  await server.call('task:fail', { id: 'tax', reason: 'exit code 2: test_vat_rates failed for DE and FR' });
  await server.call('task:abandon', { id: 'monitoring', reason: "replaced by the platform team's dashboards" });
  for (const task of EXAMPLE_TASKS) {
    if (task.extra?.paused || task.id === 'tax' || task.id === 'monitoring') continue;
    await server.call('task:publish', { id: task.id, only: true });
  }
}

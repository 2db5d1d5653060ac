import { sqlText } from '../helpers/sql-text';
import { describe, expect, it } from 'vitest';
import { showProject } from './support/show-project';
import { join } from 'node:path';
import { taskPage } from '../../src/cli/task-page';
import { Store } from '../../src/core/store/store';
import type { TaskDetail } from '../../src/shared/task';
import { makeTask } from '../fixtures/objects';
import { TempProject } from '../helpers/wg-cli';

/** `wg show`, piped and --json, in-process; on a terminal in show.process.test.ts. */
const ESC = '\u001b[';
const p = showProject();

describe('wg show', () => {
  it('prints each field once, "Required by" right after "Depends on", as the workgraph task page does', async () => {
    const page = await p.ok(['show', 'write-report']);
    const labels = page
      .split('\n')
      .filter((line) => /^ {2}[A-Z]/.test(line))
      .map((line) => line.trim().split(/\s{2,}/)[0]);
    expect(new Set(labels).size).toBe(labels.length);
    expect(page).toContain(['Depends on', '  - research (in-progress)', 'Required by', '  - publish (open)'].join('\n'));
    expect(page).toMatch(/^ {2}Status +open, waiting on Research$/m);
    expect(page).toContain('Description\n  Use the **research**.');
    const research = await p.ok(['show', 'research']);
    expect(research).toContain('Eval score: 0.93\n  └ correctness: 0.95');
  });

  it('says how many retries a task has in all, from the settings when it has no limit of its own', async () => {
    await p.ok(['add', 'Flaky', '--id', 'flaky']);
    await p.ok(['add', 'Own limit', '--id', 'own', '--max-retries', '5']);
    const store = await Store.open(join(p.root, '.workgraph/graph.db'));
    await store.core.write(() => sqlText(store.core, "UPDATE tasks SET retry_count = 1 WHERE id IN ('flaky', 'own')").run());
    await store.close();
    const retries = async (id: string) =>
      (await p.ok(['show', id]))
        .split('\n')
        .find((line) => line.trim().startsWith('Retries'))
        ?.trim();
    expect(await retries('flaky')).toMatch(/^Retries\s+1 of 3$/);
    expect(await retries('own')).toMatch(/^Retries\s+1 of 5$/);
    await p.ok(['config', '--max-retries', '4']);
    expect(await retries('flaky')).toMatch(/^Retries\s+1 of 4$/);
  });

  it('piped: ISO times and no colour; --json: ISO times and the linked tasks', async () => {
    const page = await p.ok(['show', 'research']);
    expect(page).not.toContain(ESC);
    expect(page).toMatch(/^ {2}Created +\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/m);
    const json = await p.json<TaskDetail>(['show', 'write-report']);
    expect(json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(json).toMatchObject({
      dependencies: [{ id: 'research', status: 'in-progress' }],
      required_by: [{ id: 'publish', status: 'open' }],
      ready: false,
    });
  });

  it('says "in" for times to come and names a dependency not in the graph', () => {
    const task: TaskDetail = {
      ...makeTask({
        id: 'later',
        status: 'open',
        assigned: null,
        agent: null,
        not_before: '2026-01-01T02:00:00.000Z',
        created_at: '2025-12-31T23:00:00.000Z',
      }),
      dependencies: [{ id: 'peer:lib', status: null }],
      required_by: [],
      ready: false,
      hold: 'waiting on peer:lib (not in the graph)',
    };
    const page = taskPage(task, { tty: true, color: false, now: new Date('2026-01-01T00:00:00.000Z') });
    expect(page).toContain('Not before: 2026-01-01T02:00:00.000Z (in 2h 0m)');
    expect(page).toMatch(/^ {2}Created +1 hour ago$/m);
    expect(page).toContain('  - peer:lib (not in this graph)');
  });

  it("says what holds a task in the window's words: blocked by failed X down the chain, counting only failed ones (issue 29)", async () => {
    const q = new TempProject('wg-show-held-');
    try {
      await q.ok(['init']);
      await q.ok(['add', 'Migrate the data', '--id', 'broke']);
      await q.ok(['add', 'Seed the cache', '--id', 'seed']);
      await q.ok(['add', 'Next step', '--id', 'next', '--after', 'broke']);
      await q.ok(['add', 'Then this', '--id', 'then', '--after', 'next,seed']);
      await q.ok(['add', 'Also broke', '--id', 'also']);
      await q.ok(['add', 'After both', '--id', 'both', '--after', 'then,also']);
      await q.ok(['fail', 'broke', '--reason', 'exit code 1']);
      await q.ok(['fail', 'also', '--reason', 'exit code 2']);
      // It said "open, waiting for its dependencies" where the window said "blocked by failed Migrate the data".
      expect(await q.ok(['show', 'next'])).toMatch(/^ {2}Status +open, blocked by failed Migrate the data$/m);
      // Seed the cache is open, not failed: not counted.
      expect(await q.ok(['show', 'then'])).toMatch(/^ {2}Status +open, blocked by failed Migrate the data$/m);
      expect(await q.ok(['show', 'both'])).toMatch(/^ {2}Status +open, blocked by failed Also broke \(\+1 more failed\)$/m);
      expect((await q.json<TaskDetail>(['show', 'both'])).hold).toBe('blocked by failed Also broke (+1 more failed)');
    } finally {
      q.remove();
    }
  });

  it('says an incomplete task waits out its retry delay, and until when, not "waiting for an evaluation"', async () => {
    await p.ok(['add', 'Half done', '--id', 'half']);
    await p.ok(['claim', 'half', '--agent', 'agent-9']);
    await p.ok(['incomplete', 'half', '--reason', 'tests missing']);
    const page = await p.ok(['show', 'half']);
    const status = page.split('\n').find((line) => line.trim().startsWith('Status'));
    // --json lays the task out as upstream's graph.jsonl does: ready_after at the top.
    const at = (await p.json<{ ready_after: string }>(['show', 'half'])).ready_after;
    expect(status?.trim()).toMatch(
      new RegExp(`^Status +incomplete, in its retry delay, starts again at ${new Date(at).toISOString().replace(/\./g, '\\.')}$`),
    );
  });

  it('says when a delayed or not-yet-due task starts', () => {
    const base = { dependencies: [], required_by: [], ready: false, hold: null };
    const term = { tty: true, color: false, now: new Date('2026-01-01T00:00:00.000Z') };
    const loop: TaskDetail = { ...makeTask({ id: 'loop', status: 'open', extra: { ready_after: '2026-01-01T00:05:00Z' } }), ...base };
    expect(taskPage(loop, term)).toMatch(/^ {2}Status +open, delayed, starts in 5 minutes$/m);
    const due: TaskDetail = { ...makeTask({ id: 'due', status: 'open', not_before: '2026-01-01T03:00:00.000Z' }), ...base };
    expect(taskPage(due, term)).toMatch(/^ {2}Status +open, not due yet, starts in 3 hours$/m);
    expect(taskPage(due, { ...term, tty: false })).toMatch(/^ {2}Status +open, not due yet, starts at 2026-01-01T03:00:00\.000Z$/m);
  });

  it("says what a remote task waits for, given the coordinator's reason", () => {
    const task: TaskDetail = {
      ...makeTask({ id: 'remote', status: 'open', assigned: null, agent: null }),
      dependencies: [],
      required_by: [],
      ready: true,
      hold: 'waiting for an agent daemon with repo acme/app',
    };
    expect(taskPage(task, { tty: false, color: false, now: new Date() })).toMatch(
      /^ {2}Status +open, waiting for an agent daemon with repo acme\/app$/m,
    );
  });
});

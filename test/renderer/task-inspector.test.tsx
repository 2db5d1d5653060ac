// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AGENT } from '../../src/core/agency/starters';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { makeAgent, makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

async function seeded() {
  const fake = await Workgraph.open();
  await fake.call('agency:init', {});
  await fake.seed(
    [
      makeTask({ id: 'design', title: 'Design', status: 'done' }),
      makeTask({
        id: 'build',
        title: 'Build it',
        status: 'in-progress',
        after: ['design'],
        tags: ['backend'],
        assigned: 'agent-1',
        agent: DEFAULT_AGENT.id,
        description:
          '# Plan\n\nUse **zod**.\n\n| Step | Owner |\n| --- | --- |\n| API | ana |\n\n- [x] schema\n- [ ] docs\n\n<script>alert(1)</script>',
        log: [
          { timestamp: '2025-01-01T10:00:00Z', actor: 'coordinator', message: 'spawned agent-1' },
          { timestamp: '2025-01-01T10:05:00Z', actor: 'agent-1', message: 'tests pass' },
        ],
        evaluation: {
          score: 0.75,
          dimensions: { correctness: 0.9, style: 0.4 },
          evaluator: 'judge',
          notes: 'ok',
          timestamp: '2025-01-01T11:00:00Z',
        },
        artifacts: ['src/api.ts', 'https://ci.example/run/42'],
        results: { coverage: 0.93 },
      }),
      makeTask({ id: 'ship', title: 'Ship', after: ['build'] }),
      // Upstream's evaluation of the build: the coordinator's own, listed apart.
      makeTask({ id: '.evaluate-build', title: 'Evaluate Build it', after: ['build'] }),
    ],
    [makeAgent({ id: 'agent-1', task_id: 'build', executor: 'claude', model: 'sonnet', started_at: new Date().toISOString() })],
  );
  return fake;
}

/**
 * A button once it can be clicked: the buttons stay disabled until the previous action's refresh
 * is over, which can be after its result is already on screen (a click on a disabled button is lost).
 */
async function enabledButton(name: string): Promise<HTMLButtonElement> {
  const button = await screen.findByRole<HTMLButtonElement>('button', { name });
  await waitFor(() => expect(button.disabled).toBe(false));
  return button;
}

describe("TaskInspector's retries, as every command says them (shared/retry-budget.ts)", () => {
  it("counts against the task's own budget, else the project's, and says when a retry went past it", async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [
        makeTask({ id: 'project', title: 'Project budget', status: 'incomplete', retry_count: 1, max_retries: null }),
        makeTask({ id: 'past', title: 'Retried past it', status: 'failed', retry_count: 4, max_retries: 3 }),
      ],
      [],
    );
    await fake.call('config:update', { maxRetries: 2 });
    const retries = (container: HTMLElement) =>
      [...container.querySelectorAll('.fact')].find((fact) => fact.querySelector('dt')?.textContent === 'Retries')?.querySelector('dd')
        ?.textContent;
    const first = renderWithProject(<TaskInspector taskId="project" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Project budget');
    // The project's agent.max_retries is 2.
    expect(retries(first.container)).toBe('1 of 2');
    cleanup();
    const second = renderWithProject(<TaskInspector taskId="past" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Retried past it');
    expect(retries(second.container)).toBe('4 of 3 (past its limit)');
  });
});

describe('TaskInspector', () => {
  it('shows the log as a timeline and a bar per evaluation dimension', async () => {
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, await seeded());
    await screen.findByText('Build it');
    const log = screen.getByRole('list', { name: 'Task log' });
    expect(log.textContent).toContain('spawned agent-1');
    expect(log.textContent).toContain('tests pass');
    expect(log.textContent).toContain('coordinator');
    const meters = screen.getAllByRole('meter');
    expect(meters.map((m) => m.getAttribute('aria-label'))).toEqual(['overall', 'correctness', 'style']);
    expect(meters.map((m) => m.getAttribute('value'))).toEqual(['0.75', '0.9', '0.4']);
  });

  it("says a failure's reason once, whole, among the facts: the state line says only 'failed' (it said it cut first)", async () => {
    const fake = await Workgraph.open();
    const reason = 'the tests failed: 3 of 120 in src/api.test.ts timed out waiting for the database to accept connections';
    await fake.seed([makeTask({ id: 'lone', title: 'Lone', status: 'failed', failure_reason: reason })]);
    const state = { kind: 'failed' as const, text: `failed: ${reason}` };
    renderWithProject(<TaskInspector taskId="lone" state={state} onEdit={() => undefined} onClose={() => undefined} />, fake);
    const inspector = await screen.findByRole('complementary', { name: 'Task inspector' });
    await waitFor(() => expect(inspector.querySelector('.inspector-state')?.textContent).toBe('failed'));
    expect(within(inspector).getAllByText(reason, { exact: false })).toHaveLength(1);
  });

  it('renders the description as markdown without raw HTML, and facts, links and results', async () => {
    const { container } = renderWithProject(
      <TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />,
      await seeded(),
    );
    await screen.findByText('Build it');
    // The markdown renderer loads lazily (it is kept out of the startup bundle).
    await waitFor(() => expect(container.querySelector('.markdown h1')?.textContent).toBe('Plan'));
    expect(container.querySelector('.markdown strong')?.textContent).toBe('zod');
    // GitHub-flavoured markdown: tables and task lists.
    expect([...container.querySelectorAll('.markdown table td')].map((td) => td.textContent)).toEqual(['API', 'ana']);
    expect([...container.querySelectorAll('.markdown input[type="checkbox"]')].map((box) => (box as HTMLInputElement).checked)).toEqual([
      true,
      false,
    ]);
    expect(container.querySelector('.markdown script')).toBeNull();
    expect((await screen.findByRole('button', { name: /Careful Programmer 02e87968/ })).title).toContain(DEFAULT_AGENT.id);
    expect(screen.getByText('backend')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Depends on' }).textContent).toContain('Design');
    expect(screen.getByRole('list', { name: 'Required by' }).textContent).toContain('Ship');
    expect(screen.getByRole('list', { name: 'Required by' }).textContent).not.toContain('Evaluate Build it');
    expect(screen.getByRole('list', { name: "Required by: the coordinator's own" }).textContent).toContain('.evaluate-build');
    expect(screen.queryByRole('list', { name: "Depends on: the coordinator's own" })).toBeNull();
    // Artifacts are links: a URL opens outside the app, a path is copied.
    expect(screen.getByRole('link', { name: 'https://ci.example/run/42' }).getAttribute('target')).toBe('_blank');
    expect(screen.getByRole('link', { name: 'src/api.ts' }).getAttribute('title')).toBe('Copy the path');
    expect(screen.getByText('0.93')).toBeTruthy();
  });

  it("lists a hub's 250 dependents 20 at first, and more at each press of Show more; another hub's from its first", async () => {
    const fake = await Workgraph.open();
    const parts = Array.from({ length: 250 }, (_, i) => makeTask({ id: `part-${i}`, title: `Part ${i}`, after: ['split', 'sort'] }));
    await fake.seed([makeTask({ id: 'split', title: 'Split the archive' }), makeTask({ id: 'sort', title: 'Sort' }), ...parts]);
    // The inspector as the window has it: one, showing the task chosen.
    function Inspector() {
      const [id, setId] = useState('split');
      return (
        <>
          <button type="button" onClick={() => setId('sort')}>
            Go to Sort
          </button>
          <TaskInspector taskId={id} onEdit={() => undefined} onClose={() => undefined} />
        </>
      );
    }
    renderWithProject(<Inspector />, fake);
    const listed = async () => within(await screen.findByRole('list', { name: 'Required by' })).getAllByRole('listitem').length;
    expect(await listed()).toBe(20);
    fireEvent.click(screen.getByRole('button', { name: 'Show 100 more (230 not listed)' }));
    expect(await listed()).toBe(120);
    // The first link the press listed has the focus.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Part 20'));
    fireEvent.click(screen.getByRole('button', { name: 'Show 100 more (130 not listed)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Show 30 more (30 not listed)' }));
    expect(await listed()).toBe(250);
    expect(screen.queryByRole('button', { name: /more \(/ })).toBeNull();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Part 220'));
    // Another task with as many: its list starts again from its first 20.
    fireEvent.click(screen.getByRole('button', { name: 'Go to Sort' }));
    await screen.findByRole('heading', { name: 'Sort' });
    expect(await listed()).toBe(20);
  });

  it('runs actions through the ops, asking first for what cannot be taken back', async () => {
    const fake = await seeded();
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Build it');
    // Pausing a running task lets the run finish; it is not started again.
    fireEvent.click(screen.getByRole('button', { name: 'Pause after this run' }));
    await screen.findByRole('button', { name: 'Resume' });
    expect((await fake.task('build'))?.paused).toBe(true);
    expect((await fake.task('build'))?.status).toBe('in-progress');
    expect(screen.getByText(/this run finishes, then the task is not started again/)).toBeTruthy();

    // Kill asks whether to requeue or hold, and says which will happen.
    fireEvent.click(await enabledButton('Stop agent…'));
    const killDialog = await screen.findByRole('dialog', { name: 'Stop agent-1?' });
    expect(within(killDialog).getByText(/nothing starts it again until you resume it/)).toBeTruthy();
    fireEvent.click(within(killDialog).getByLabelText(/Stop and requeue/));
    fireEvent.click(within(killDialog).getByRole('button', { name: 'Stop and requeue' }));
    await waitFor(async () => expect((await fake.agent('agent-1'))?.state).toBe('killed'));
    expect(fake.calls.find((c) => c.name === 'agent:kill')?.input).toEqual({ id: 'agent-1', hold: false });

    // Fail (the task's run ends with it, so it comes after the stop) asks for a reason and will not go ahead without one.
    fireEvent.click(await enabledButton('Fail…'));
    const failDialog = await screen.findByRole('dialog', { name: /Mark “Build it” failed/ });
    const markFailed = within(failDialog).getByRole<HTMLButtonElement>('button', { name: 'Mark failed' });
    expect(markFailed.disabled).toBe(true);
    fireEvent.change(within(failDialog).getByLabelText(/Reason/), { target: { value: 'flaky' } });
    fireEvent.click(markFailed);
    await screen.findByRole('button', { name: 'Retry' });
    expect((await fake.task('build'))?.failure_reason).toBe('flaky');
    expect(screen.getByText('Failure reason')).toBeTruthy();
  });

  it('retries a paused task that was abandoned into an open one that is still paused, where Resume then shows', async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'gone', title: 'Gone', status: 'abandoned', paused: true })]);
    renderWithProject(<TaskInspector taskId="gone" onEdit={() => undefined} onClose={() => undefined} />, fake);
    fireEvent.click(await enabledButton('Retry'));
    // Retried, it is open and still paused: now Resume lets it start.
    await enabledButton('Resume');
    expect(await fake.task('gone')).toMatchObject({ status: 'open', paused: true });
  });

  it('offers Retry, not Resume, on a paused task that was abandoned (Resume does nothing there)', async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'gone', title: 'Gone', status: 'abandoned', paused: true })]);
    renderWithProject(<TaskInspector taskId="gone" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await enabledButton('Retry');
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
  });

  it('asks before Mark done stops a running agent (one click killed the run), and offers no Mark done before its dependencies', async () => {
    const fake = await seeded();
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Build it');
    fireEvent.click(await enabledButton('Mark done…'));
    const dialog = await screen.findByRole('dialog', { name: 'Mark “Build it” done while its agent runs?' });
    expect(within(dialog).getByText(/work it has not saved is lost/)).toBeTruthy();
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await fake.task('build'))?.status).toBe('in-progress');
    expect(fake.calls.some((c) => c.name === 'task:done')).toBe(false);
    cleanup();
    // Ship waits for Build it: marking it done is refused, so it is not offered.
    renderWithProject(<TaskInspector taskId="ship" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Ship');
    const markDone = screen.getByRole<HTMLButtonElement>('button', { name: 'Mark done' });
    expect(markDone.disabled).toBe(true);
    expect(markDone.title).toBe('It waits for “Build it”: those come first');
  });

  it('says that Fail and Abandon of a running task stop its agent (Fail said it went on running)', async () => {
    const fake = await seeded();
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Build it');
    for (const [button, title] of [
      ['Fail…', /Mark “Build it” failed/],
      ['Abandon…', /Abandon “Build it”/],
    ] as const) {
      fireEvent.click(await enabledButton(button));
      const dialog = await screen.findByRole('dialog', { name: title });
      expect(within(dialog).getByText(/^Its agent is stopped, and work it has not saved is lost\./)).toBeTruthy();
      fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    }
    expect((await fake.task('build'))?.status).toBe('in-progress');
  });

  it('cancels a destructive action with Escape and returns focus to its button', async () => {
    const fake = await seeded();
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Build it');
    const abandon = screen.getByRole('button', { name: 'Abandon…' });
    abandon.focus();
    fireEvent.click(abandon);
    const dialog = await screen.findByRole('dialog');
    expect(dialog.contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(abandon);
    expect((await fake.task('build'))?.status).toBe('in-progress');
  });

  it('shows a refused action verbatim', async () => {
    const fake = await seeded();
    renderWithProject(<TaskInspector taskId="design" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Design');
    await fake.update('design', { status: 'failed' });
    const retry = await screen.findByRole('button', { name: 'Retry' });
    await fake.update('design', { status: 'done' });
    fireEvent.click(retry);
    expect((await screen.findByRole('alert')).textContent).toContain(
      "task 'design' is done; only in-progress, failed, abandoned, incomplete or failed-pending-eval tasks can be retried",
    );
  });

  it('says an evaluator’s run is the evaluator’s when no run did the work: its model is not the task’s (issue 29)', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [makeTask({ id: 'by-hand', title: 'Done by hand', status: 'done', executor: 'claude', model: 'opus' })],
      [makeAgent({ id: 'agent-9', task_id: 'by-hand', executor: 'claude', model: 'haiku', purpose: 'evaluate', state: 'done' })],
    );
    renderWithProject(<TaskInspector taskId="by-hand" onEdit={() => undefined} onClose={() => undefined} />, fake);
    const fact = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
    await screen.findByText('Evaluator run', { selector: 'dt' });
    expect(fact('Evaluator run')).toBe('agent-9 · claude · haiku · view output');
    // It showed agent-9 as the task's agent and haiku as its model.
    expect(fact('Agent')).toBe('—');
    expect(fact('Executor · model')).toBe('claude · opus');
  });

  it("names the project's default executor for a task without its own, not 'default · default'", async () => {
    const fake = await Workgraph.open();
    await fake.seed([
      makeTask({ id: 'plain', title: 'Plain task' }),
      makeTask({ id: 'own', title: 'Own', executor: 'shell', exec: 'true' }),
    ]);
    renderWithProject(<TaskInspector taskId="plain" onEdit={() => undefined} onClose={() => undefined} />, fake);
    const fact = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
    await waitFor(() => expect(fact('Executor · model')).toBe('claude (project default) · default model'));
    await fake.client['config:update']({ executor: 'codex' });
    cleanup();
    renderWithProject(<TaskInspector taskId="plain" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await waitFor(() => expect(fact('Executor · model')).toBe('codex (project default) · default model'));
    cleanup();
    renderWithProject(<TaskInspector taskId="own" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await waitFor(() => expect(fact('Executor · model')).toBe('shell · default model'));
  });

  // `wg show` says when a task not due yet starts; the inspector says it too.
  it('says when an open task not due yet starts, and nothing of it once it has started', async () => {
    const fake = await Workgraph.open();
    await fake.seed([
      makeTask({ id: 'later', title: 'Later', not_before: '2099-01-05T09:00:00Z' }),
      makeTask({ id: 'delayed', title: 'Delayed', extra: { ready_after: '2099-02-01T00:00:00Z' } }),
      makeTask({ id: 'begun', title: 'Begun', status: 'in-progress', not_before: '2099-01-05T09:00:00Z' }),
    ]);
    const fact = (label: string) => screen.queryByText(label, { selector: 'dt' })?.nextElementSibling?.textContent;
    renderWithProject(<TaskInspector taskId="later" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Later');
    expect(fact('Starts')).toMatch(/2099.* · in \d+/);
    cleanup();
    renderWithProject(<TaskInspector taskId="delayed" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Delayed');
    expect(fact('Starts')).toMatch(/2099/);
    cleanup();
    renderWithProject(<TaskInspector taskId="begun" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Begun');
    expect(fact('Starts')).toBeUndefined();
  });

  it('names the person an open task is assigned to as such, not as its agent', async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'copy', title: 'Write the copy', assigned: 'alice' })]);
    renderWithProject(<TaskInspector taskId="copy" onEdit={() => undefined} onClose={() => undefined} />, fake);
    const fact = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
    await screen.findByText('Assigned to', { selector: 'dt' });
    expect(fact('Assigned to')).toBe('alice');
    expect(screen.queryByText('Agent', { selector: 'dt' })).toBeNull();
  });
});

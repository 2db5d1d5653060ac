// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { makeAgent, makeTask } from './support/fixtures';
import { FakeWorkgraph } from './support/fake-workgraph';
import { renderWithFake } from './support/render';

afterEach(cleanup);

function seeded() {
  const fake = new FakeWorkgraph();
  fake.seed(
    [
      makeTask({ id: 'design', title: 'Design', status: 'done' }),
      makeTask({
        id: 'build', title: 'Build it', status: 'in-progress', after: ['design'], tags: ['backend'],
        assigned: 'agent-1', agent: 'builder-identity',
        description: '# Plan\n\nUse **zod**.\n\n<script>alert(1)</script>',
        log: [
          { timestamp: '2025-01-01T10:00:00Z', actor: 'coordinator', message: 'spawned agent-1' },
          { timestamp: '2025-01-01T10:05:00Z', actor: 'agent-1', message: 'tests pass' },
        ],
        evaluation: { score: 0.75, dimensions: { correctness: 0.9, style: 0.4 }, evaluator: 'judge', notes: 'ok', timestamp: '2025-01-01T11:00:00Z' },
        artifacts: ['src/api.ts'],
        results: { coverage: 0.93 },
      }),
      makeTask({ id: 'ship', title: 'Ship', after: ['build'] }),
    ],
    [makeAgent({ id: 'agent-1', task_id: 'build', executor: 'claude', model: 'sonnet' })],
  );
  return fake;
}

describe('TaskInspector', () => {
  it('shows the log as a timeline and a bar per evaluation dimension', async () => {
    renderWithFake(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, seeded());
    await screen.findByText('Build it');
    const log = screen.getByRole('list', { name: 'Task log' });
    expect(log.textContent).toContain('spawned agent-1');
    expect(log.textContent).toContain('tests pass');
    const meters = screen.getAllByRole('meter');
    expect(meters.map((m) => m.getAttribute('aria-label'))).toEqual(['overall', 'correctness', 'style']);
    expect(meters.map((m) => m.getAttribute('aria-valuenow'))).toEqual(['0.75', '0.9', '0.4']);
  });

  it('renders the description as markdown without raw HTML, and facts, links and results', async () => {
    const { container } = renderWithFake(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, seeded());
    await screen.findByText('Build it');
    // The markdown renderer loads lazily (it is kept out of the startup bundle).
    await waitFor(() => expect(container.querySelector('.markdown h1')?.textContent).toBe('Plan'));
    expect(container.querySelector('.markdown strong')?.textContent).toBe('zod');
    expect(container.querySelector('.markdown script')).toBeNull();
    expect(screen.getByText('builder-identity')).toBeTruthy();
    expect(screen.getByText('backend')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Depends on' }).textContent).toContain('Design');
    expect(screen.getByRole('list', { name: 'Required by' }).textContent).toContain('Ship');
    expect(screen.getByText('src/api.ts')).toBeTruthy();
    expect(screen.getByText('0.93')).toBeTruthy();
  });

  it('runs actions through the ops and shows the new state', async () => {
    const fake = seeded();
    renderWithFake(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Build it');
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await screen.findByRole('button', { name: 'Publish' });
    expect(fake.tasks.get('build')?.paused).toBe(true);

    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'flaky' } });
    const fail = screen.getByRole<HTMLButtonElement>('button', { name: 'Fail' });
    await waitFor(() => expect(fail.disabled).toBe(false));
    fireEvent.click(fail);
    await screen.findByRole('button', { name: 'Retry' });
    expect(fake.tasks.get('build')?.failure_reason).toBe('flaky');

    const kill = screen.getByRole<HTMLButtonElement>('button', { name: 'Kill agent' });
    await waitFor(() => expect(kill.disabled).toBe(false));
    fireEvent.click(kill);
    await waitFor(() => expect(fake.agents.get('agent-1')?.state).toBe('killed'));
  });

  it('shows a refused action verbatim', async () => {
    const fake = seeded();
    renderWithFake(<TaskInspector taskId="design" onEdit={() => undefined} onClose={() => undefined} />, fake);
    await screen.findByText('Design');
    fake.update('design', { status: 'failed' });
    const retry = await screen.findByRole('button', { name: 'Retry' });
    fake.update('design', { status: 'done' });
    fireEvent.click(retry);
    expect((await screen.findByRole('alert')).textContent).toContain("task 'design' is done, not failed or abandoned");
  });
});

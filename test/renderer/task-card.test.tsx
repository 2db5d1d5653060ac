// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskCard } from '../../src/renderer/graph/TaskCard';
import { makeAgent, makeTask } from './support/fixtures';

afterEach(cleanup);

describe('TaskCard', () => {
  it('says what the task is doing, with its title, agent, model and evaluation', () => {
    const task = makeTask({
      id: 'build-api',
      title: 'Build the API',
      status: 'in-progress',
      assigned: 'agent-7',
      model: 'sonnet',
      started_at: new Date(Date.now() - 192_000).toISOString(),
      evaluation: { score: 0.82, dimensions: {}, evaluator: 'judge', notes: null, timestamp: '2025-01-01T00:00:00Z' },
    });
    const { container } = render(
      <TaskCard task={task} agent={makeAgent({ id: 'agent-7', task_id: 'build-api' })} state={{ kind: 'running', text: 'running' }} />,
    );
    const card = container.querySelector('.task-card');
    expect(card?.getAttribute('data-state')).toBe('running');
    expect(screen.getByText('Build the API')).toBeTruthy();
    // A live elapsed time, and a sign of activity (the pulsing dot is styled by data-state).
    expect(container.querySelector('.task-card-state')?.textContent).toMatch(/^running 3m1[12]s$/);
    expect(container.querySelector('.state-dot')).not.toBeNull();
    expect(screen.getByText('⚙ agent-7')).toBeTruthy();
    expect(screen.getByText('sonnet')).toBeTruthy();
    expect(screen.getByText('82%')).toBeTruthy();
  });

  it('shows what a waiting task waits for, and that a paused running task will not start again', () => {
    const waiting = makeTask({ id: 'x', title: 'X', priority: 'critical' });
    render(<TaskCard task={waiting} agent={null} state={{ kind: 'waiting', text: 'waiting on Design (+1 more)' }} />);
    expect(screen.getByText('waiting on Design (+1 more)')).toBeTruthy();
    expect(screen.getByText('critical')).toBeTruthy();
    cleanup();
    const held = makeTask({ id: 'y', title: 'Y', status: 'in-progress', paused: true, started_at: new Date().toISOString() });
    const { container } = render(
      <TaskCard task={held} agent={null} state={{ kind: 'running', text: 'running; will not start again', held: true }} />,
    );
    expect(container.querySelector('.task-card-state')?.textContent).toMatch(/^running \ds; will not start again$/);
  });
});

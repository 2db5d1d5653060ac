// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { STATUS_COLOURS } from '../../src/renderer/components/status';
import { TaskCard } from '../../src/renderer/graph/TaskCard';
import { makeAgent, makeTask } from './support/fixtures';

afterEach(cleanup);

describe('TaskCard', () => {
  it('shows status colour, title, assigned agent, model and evaluation badge', () => {
    const task = makeTask({
      id: 'build-api', title: 'Build the API', status: 'in-progress', assigned: 'agent-7', model: 'sonnet',
      evaluation: { score: 0.82, dimensions: {}, evaluator: 'judge', notes: null, timestamp: '2025-01-01T00:00:00Z' },
    });
    const { container } = render(<TaskCard task={task} agent={makeAgent({ id: 'agent-7', task_id: 'build-api' })} />);
    const card = container.querySelector('.task-card');
    expect(card?.getAttribute('data-status')).toBe('in-progress');
    expect((card as HTMLElement).style.borderLeftColor).not.toBe('');
    expect(screen.getByText('Build the API')).toBeTruthy();
    expect(screen.getByText('in-progress')).toBeTruthy();
    expect(screen.getByText('⚙ agent-7')).toBeTruthy();
    expect(screen.getByText('sonnet')).toBeTruthy();
    expect(screen.getByText('82%')).toBeTruthy();
    expect(STATUS_COLOURS['in-progress']).toBe('#2563eb');
  });

  it("falls back to the agent's model and marks paused and priority", () => {
    const task = makeTask({ id: 'x', title: 'X', paused: true, priority: 'critical' });
    render(<TaskCard task={task} agent={makeAgent({ id: 'a1', task_id: 'x', model: 'haiku' })} />);
    expect(screen.getByText('paused')).toBeTruthy();
    expect(screen.getByText('critical')).toBeTruthy();
    expect(screen.getByText('haiku')).toBeTruthy();
    expect(screen.queryByTitle(/evaluation/)).toBeNull();
  });
});

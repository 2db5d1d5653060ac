// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskCard } from '../../src/renderer/graph/TaskCard';
import { agentOfTask, agentsByTask } from '../../src/renderer/state/agent-of-task';
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

  it('shows the model of the run that did the work, not of a later evaluator or assigner run (issue 29 item 4)', () => {
    const task = makeTask({ id: 'api', title: 'Build the API', status: 'done' });
    const work = makeAgent({ id: 'agent-1', task_id: 'api', model: 'sonnet', state: 'done', started_at: '2025-01-01T00:00:00Z' });
    const evaluator = makeAgent({
      id: 'agent-2',
      task_id: 'api',
      model: 'haiku',
      purpose: 'evaluate',
      state: 'working',
      started_at: '2025-01-01T00:10:00Z',
    });
    const assigner = makeAgent({
      id: 'agent-0',
      task_id: 'api',
      model: 'opus',
      purpose: 'assign',
      state: 'done',
      started_at: '2024-12-31T23:59:00Z',
    });
    const agents = new Map([work, evaluator, assigner].map((a) => [a.id, a]));
    const runs = agentsByTask(agents);
    expect(runs.work.get('api')?.id).toBe('agent-1');
    expect(runs.helper.get('api')?.id).toBe('agent-2');
    expect(agentOfTask(task, agents)?.id).toBe('agent-1');
    const { container } = render(
      <TaskCard task={task} agent={runs.work.get('api') ?? null} helper={runs.helper.get('api')} state={{ kind: 'done', text: 'done' }} />,
    );
    expect(container.querySelector('.task-card-model')?.textContent).toBe('sonnet');
    expect(container.querySelector('.badge-helper')?.textContent).toBe('evaluator running');
    expect(container.textContent).not.toContain('haiku');
  });
});

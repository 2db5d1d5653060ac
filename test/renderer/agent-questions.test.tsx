// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useGraph } from '../../src/renderer/state/graph-context';
import { useTaskStates } from '../../src/renderer/task-state/use-task-states';
import { workColumn } from '../../src/renderer/task-state/work-column';
import { makeAgent, makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

/** Each task's state and board column as the graph page works them out. */
function States() {
  const states = useTaskStates(useGraph())?.states ?? new Map();
  return (
    <ul>
      {[...states].map(([id, state]) => (
        <li key={id} data-testid={id}>{`${workColumn(state.kind)} | ${state.text}`}</li>
      ))}
    </ul>
  );
}

// Review finding M2: a running agent that asked the person something (`wg msg send` from its run) showed only
// "running 11s"; the Board said "Needs you 0 — Nothing needs you" while it waited for an answer.
describe('a running agent’s question to the person', () => {
  it('puts the task under Needs you with the question until a person answers', async () => {
    const project = await Workgraph.open();
    await project.seed(
      [makeTask({ id: 'deploy', title: 'Choose deploy region', status: 'in-progress', assigned: 'agent-1' })],
      [makeAgent({ id: 'agent-1', task_id: 'deploy', started_at: new Date().toISOString() })],
    );
    renderWithProject(<States />, project);
    await waitFor(() => expect(screen.getByTestId('deploy').textContent).toBe('running | running'));

    await project.callAsAgent('agent-1', 'msg:send', { task: 'deploy', message: 'Which region: eu-west or us-east?' });
    await waitFor(() => expect(screen.getByTestId('deploy').textContent).toBe('needs-you | asks you: Which region: eu-west or us-east?'));

    // The person answers (the inspector's Send): the agent goes on, and so does the task's card.
    await project.client['msg:send']({ task: 'deploy', message: 'eu-west' });
    await waitFor(() => expect(screen.getByTestId('deploy').textContent).toBe('running | running'));
  });

  it('is answered too when a person reads it with wg msg read', async () => {
    const project = await Workgraph.open();
    await project.seed(
      [makeTask({ id: 'deploy', status: 'in-progress', assigned: 'agent-1' })],
      [makeAgent({ id: 'agent-1', task_id: 'deploy', started_at: new Date().toISOString() })],
    );
    await project.callAsAgent('agent-1', 'msg:send', { task: 'deploy', message: 'Go ahead?' });
    renderWithProject(<States />, project);
    await waitFor(() => expect(screen.getByTestId('deploy').textContent).toBe('needs-you | asks you: Go ahead?'));
    await project.client['msg:read']({ task: 'deploy', agent: 'user' });
    await waitFor(() => expect(screen.getByTestId('deploy').textContent).toBe('running | running'));
  });
});

describe('the running tasks’ questions, read', () => {
  it('in one request for every running task, not a list of messages a task', async () => {
    const project = await Workgraph.open();
    const running = ['deploy', 'migrate', 'pricing', 'docs'];
    await project.seed(
      running.map((id, i) => makeTask({ id, status: 'in-progress', assigned: `agent-${i}` })),
      running.map((id, i) => makeAgent({ id: `agent-${i}`, task_id: id, started_at: new Date().toISOString() })),
    );
    await project.callAsAgent('agent-0', 'msg:send', { task: 'deploy', message: 'Which region?' });
    await project.callAsAgent('agent-2', 'msg:send', { task: 'pricing', message: 'Monthly or yearly?' });
    // A question a person already answered is none.
    await project.callAsAgent('agent-1', 'msg:send', { task: 'migrate', message: 'Drop the old table?' });
    await project.client['msg:send']({ task: 'migrate', message: 'Yes' });
    const before = project.calls.length;
    renderWithProject(<States />, project);
    await waitFor(() => expect(screen.getByTestId('pricing').textContent).toBe('needs-you | asks you: Monthly or yearly?'));
    expect(screen.getByTestId('deploy').textContent).toBe('needs-you | asks you: Which region?');
    expect(screen.getByTestId('migrate').textContent).toBe('running | running');
    expect(screen.getByTestId('docs').textContent).toBe('running | running');
    const messageReads = project.calls.slice(before).filter((call) => call.name.startsWith('msg:'));
    expect(messageReads.map((call) => call.name)).toEqual(['msg:questions']);
  });
});

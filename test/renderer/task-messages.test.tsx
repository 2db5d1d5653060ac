// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { OutputPage } from '../../src/renderer/output/OutputPage';
import { makeAgent, makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

async function seeded(agent: Partial<Agent> = { executor: 'claude', message_hooks: true }) {
  const fake = await Workgraph.open();
  await fake.seed(
    [makeTask({ id: 'build', title: 'Build it', status: 'in-progress', assigned: 'agent-1' })],
    [makeAgent({ id: 'agent-1', task_id: 'build', model: 'sonnet', started_at: new Date().toISOString(), ...agent })],
  );
  return fake;
}

describe('the inspector’s messages (wg msg)', () => {
  it('sends what is typed with Ctrl+Enter, and shows the agent’s reply when it comes', async () => {
    const fake = await seeded();
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, fake);
    const section = await screen.findByRole('region', { name: 'Messages' });
    // The section is drawn before the messages are read (a loaded machine took longer than the next line).
    expect(await within(section).findByText('No messages yet.')).toBeTruthy();
    const box = within(section).getByRole<HTMLTextAreaElement>('textbox', { name: 'Message to build' });
    expect(box.placeholder).toContain('Tell the agent working on it');
    expect(within(section).getByRole<HTMLButtonElement>('button', { name: 'Send' }).disabled).toBe(true);

    fireEvent.change(box, { target: { value: 'Use the existing auth helper' } });
    fireEvent.click(within(section).getByRole('checkbox', { name: 'Urgent' }));
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'msg:send')).toBe(true));
    expect(fake.calls.find((c) => c.name === 'msg:send')?.input).toEqual({
      task: 'build',
      message: 'Use the existing auth helper',
      priority: 'urgent',
    });
    const list = await within(section).findByRole('list', { name: 'Messages' });
    await waitFor(() => expect(list.textContent).toContain('Use the existing auth helper'));
    expect(list.textContent).toContain('urgent');
    expect(list.textContent).toContain('not read yet');
    await waitFor(() => expect(box.value).toBe(''));

    // The agent answers from inside its run: the list follows the store's change events.
    await fake.callAsAgent('agent-1', 'msg:send', { task: 'build', message: 'Acknowledged: switching' });
    await waitFor(() => expect(list.textContent).toContain('Acknowledged: switching'), { timeout: 3000 });
    expect(list.querySelector('.message-from-agent')?.textContent).toContain('build (agent agent-1)');
  });

  it('a refused send keeps the text and says why', async () => {
    const fake = await seeded();
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, fake);
    const section = await screen.findByRole('region', { name: 'Messages' });
    // One the store refuses: longer than a message may be.
    const long = 'Hello '.repeat(20_000);
    const box = within(section).getByRole<HTMLTextAreaElement>('textbox', { name: 'Message to build' });
    fireEvent.change(box, { target: { value: long } });
    fireEvent.click(within(section).getByRole('button', { name: 'Send' }));
    expect((await within(section).findByRole('alert')).textContent).toContain('a message is at most 100,000 characters long');
    expect(box.value).toBe(long);
  });

  it('says a message reaches a hooked run after its next tool call, and any other run when it runs wg log or wg msg read', async () => {
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, await seeded());
    const hooked = await screen.findByRole('region', { name: 'Messages' });
    expect(await within(hooked).findByText('Reaches it after its next tool call')).toBeTruthy();
    cleanup();
    // A shell (or amplifier, cli, http, agent daemon) run gets no hooks: nothing hands it the message mid-run.
    renderWithProject(
      <TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />,
      await seeded({ executor: 'shell' }),
    );
    const plain = await screen.findByRole('region', { name: 'Messages' });
    await waitFor(() =>
      expect(plain.querySelector('.message-reach')?.textContent).toBe('Delivered when it next runs wg log or wg msg read'),
    );
    expect(within(plain).queryByText('Reaches it after its next tool call')).toBeNull();
  });

  it('says a message reaches a codex run at its next model request, even mid-command, not after its next tool call (issue 74)', async () => {
    // A codex run's holder steers the message into its turn as it is sent: the model has it in its next request, even
    // while a command runs on past codex's 10 s wait (msg-delivery.process.test.ts).
    renderWithProject(
      <TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />,
      await seeded({ executor: 'codex', message_hooks: true }),
    );
    const section = await screen.findByRole('region', { name: 'Messages' });
    await waitFor(() =>
      expect(section.querySelector('.message-reach')?.textContent).toBe('Reaches it at its next model request, even mid-command'),
    );
    expect(section.querySelector('.message-reach')?.getAttribute('data-reach')).toBe('hooks');
  });

  it('promises what the next run does with it: an agent has it in its prompt, a shell command only when it asks', async () => {
    const idle = async (executor: string | null) => {
      const fake = await Workgraph.open();
      await fake.seed([makeTask({ id: 'build', title: 'Build it', executor })]);
      return fake;
    };
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, await idle('shell'));
    const shell = await screen.findByRole('region', { name: 'Messages' });
    await waitFor(() => expect(shell.querySelector('.message-reach')?.getAttribute('data-reach')).toBe('when-it-asks'));
    cleanup();
    renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, await idle(null));
    const agent = await screen.findByRole('region', { name: 'Messages' });
    await waitFor(() => expect(agent.querySelector('.message-reach')?.textContent).toBe('Its next agent gets it in its prompt'));
  });

  it('has the same box under the run output, for the task that agent works on', async () => {
    const fake = await seeded();
    await fake.call('msg:send', { task: 'build', message: 'Keep the endpoints under /v2', from: 'coordinator' });
    renderWithProject(<OutputPage />, fake, 'output');
    const section = await screen.findByRole('region', { name: 'Messages' });
    await within(section).findByText('Keep the endpoints under /v2');
    fireEvent.change(within(section).getByRole('textbox', { name: 'Message to build' }), { target: { value: 'Stop after the API' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Send' }));
    await within(section).findByText('Stop after the API');
    expect((await fake.call('msg:list', { task: 'build' })).map((m) => m.body)).toEqual([
      'Keep the endpoints under /v2',
      'Stop after the API',
    ]);
  });
});

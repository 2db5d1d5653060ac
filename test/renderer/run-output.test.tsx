// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../src/shared/run-event';
import { OutputPage } from '../../src/renderer/output/OutputPage';
import { makeAgent, makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';
import { giveElementsASize } from './support/sizes';

afterEach(cleanup);

// happy-dom has no layout: give the scroller and its rows a size so the virtualizer renders rows.
giveElementsASize({ width: 800, height: 600, rowHeight: 28 });

const RUN: RunEvent[] = [
  { type: 'session', session_id: 's-1', model: 'sonnet' },
  { type: 'thinking', text: 'Let me look at the tests first.\nThen fix them.' },
  { type: 'text', text: 'I will run the tests.' },
  { type: 'tool_use', id: 'tu-1', name: 'Bash', input: { command: 'npm test' } },
  { type: 'tool_result', tool_use_id: 'tu-1', output: '3 passing', is_error: false },
  { type: 'raw', text: '\u001b[32m✓ parser\u001b[39m \u001b[1;31m1 failing\u001b[0m' },
  { type: 'result', is_error: false, text: 'All green.', cost_usd: 0.1234, tokens_in: 12000, tokens_out: 800, turns: 4 },
];

async function withRun() {
  const fake = await Workgraph.open();
  await fake.seed(
    [makeTask({ id: 'fix', title: 'Fix tests' })],
    [makeAgent({ id: 'agent-1', task_id: 'fix', state: 'done', started_at: new Date().toISOString() })],
  );
  fake.appendOutput('agent-1', RUN);
  return fake;
}

describe('run output', () => {
  it('shows text, folds thinking, pairs tool calls with results and shows the final cost', async () => {
    renderWithProject(<OutputPage />, await withRun(), 'output');
    await screen.findByText('I will run the tests.');
    const thinking = screen.getByRole('button', { name: /thinking/ });
    expect(thinking.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText(/Then fix them/)).toBeNull();
    fireEvent.click(thinking);
    expect(await screen.findByText(/Then fix them/)).toBeTruthy();

    expect(screen.getByText('Bash')).toBeTruthy();
    expect(screen.getByText('✓ ok')).toBeTruthy();
    expect(screen.getByText(/result of Bash/)).toBeTruthy();
    expect(screen.getByText('Run finished')).toBeTruthy();
    expect(screen.getByText('cost $0.12')).toBeTruthy();
    expect(screen.getByText(/12\.0k in \/ 800 out/)).toBeTruthy();
    expect(screen.getByTestId('event-count').textContent).toBe('7 events');
  });

  it('counts one event as one event', async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'fix', title: 'Fix tests' })], [makeAgent({ id: 'agent-1', task_id: 'fix', state: 'done' })]);
    fake.appendOutput('agent-1', [{ type: 'raw', text: 'compiling' }]);
    renderWithProject(<OutputPage />, fake, 'output');
    await screen.findByText('compiling');
    expect(screen.getByTestId('event-count').textContent).toBe('1 event');
  });

  it('says an ended run has ended, not that it follows live output', async () => {
    renderWithProject(<OutputPage />, await withRun(), 'output');
    await screen.findByText('I will run the tests.');
    expect(screen.getByText('run ended')).toBeTruthy();
    expect(screen.queryByText(/following live output/)).toBeNull();
  });

  it('says an ended run that printed nothing printed nothing, not that its output is still to come', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [makeTask({ id: 'quiet', title: 'Quiet one', status: 'done' })],
      [makeAgent({ id: 'agent-1', task_id: 'quiet', state: 'done', started_at: new Date().toISOString() })],
    );
    renderWithProject(<OutputPage />, fake, 'output');
    expect(await screen.findByText('This run printed nothing.')).toBeTruthy();
    expect(screen.queryByText('No output yet.')).toBeNull();
  });

  it('says a running run is followed live', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [makeTask({ id: 'fix', title: 'Fix tests', status: 'in-progress', assigned: 'agent-1' })],
      [makeAgent({ id: 'agent-1', task_id: 'fix', pid: process.pid, started_at: new Date().toISOString() })],
    );
    fake.appendOutput('agent-1', RUN.slice(0, 3));
    renderWithProject(<OutputPage />, fake, 'output');
    await screen.findByText('I will run the tests.');
    expect(screen.getByText(/following live output/)).toBeTruthy();
    expect(screen.queryByText('run ended')).toBeNull();
  });

  it('an unpriced run (tokens, cost 0: a model without prices) shows its cost as unknown, not $0.00', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [makeTask({ id: 'fix', title: 'Fix tests' })],
      [makeAgent({ id: 'agent-1', task_id: 'fix', state: 'done', cost_usd: 0, tokens_in: 1200, tokens_out: 300 })],
    );
    const unpriced: RunEvent = { type: 'result', is_error: false, text: 'Done.', cost_usd: 0, tokens_in: 1200, tokens_out: 300, turns: 1 };
    fake.appendOutput('agent-1', [unpriced]);
    renderWithProject(<OutputPage />, fake, 'output');
    await screen.findByText('Done.');
    expect(screen.getAllByText(/unknown/).length).toBeGreaterThanOrEqual(2);
    expect(screen.queryByText(/\$0\.00/)).toBeNull();
  });

  it('a killed shell run says "killed" once, and nothing of models or spend it had none of', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [makeTask({ id: 'fix', title: 'Fix tests' })],
      [makeAgent({ id: 'agent-1', task_id: 'fix', executor: 'shell', model: null, state: 'killed', reason: 'killed', exit_code: null })],
    );
    fake.appendOutput('agent-1', [{ type: 'raw', text: 'compiling' }]);
    const { container } = renderWithProject(<OutputPage />, fake, 'output');
    await screen.findByText('compiling');
    const summary = container.querySelector('.agent-summary') as HTMLElement;
    expect(summary.textContent?.match(/killed/gi)).toHaveLength(1);
    expect(summary.textContent).not.toMatch(/\$0\.00|default model| in \/ /);
  });

  it('looks like a terminal: a time on every line, ANSI colours as colours, no escape codes', async () => {
    const { container } = renderWithProject(<OutputPage />, await withRun(), 'output');
    await screen.findByText('I will run the tests.');
    const lines = [...container.querySelectorAll('.term-line')];
    expect(lines.length).toBe(7);
    expect(lines.every((line) => /^\d\d:\d\d:\d\d$/.test(line.querySelector('.term-time')?.textContent ?? ''))).toBe(true);
    const green = await screen.findByText('✓ parser');
    expect(green.className).toBe('ansi-green-fg');
    expect(screen.getByText('1 failing').className).toBe('ansi-red-fg ansi-bold');
    expect(container.textContent).not.toContain('\u001b');
  });

  it('follows new output of a working agent', async () => {
    const fake = await withRun();
    await fake.updateAgent('agent-1', { state: 'working', ended_at: null });
    renderWithProject(<OutputPage />, fake, 'output');
    await screen.findByText('I will run the tests.');
    fake.appendOutput('agent-1', [{ type: 'stderr', text: 'warning: slow test' }]);
    await waitFor(() => expect(screen.getByTestId('event-count').textContent).toBe('8 events'));
    expect(await screen.findByText('warning: slow test')).toBeTruthy();
  });

  it("is moved by the run's own events alone: nothing is asked again on a timer while it works", async () => {
    const fake = await withRun();
    await fake.updateAgent('agent-1', { state: 'working', ended_at: null });
    // The page's own timers run on a clock the test moves (and along with real time, so the page loads): a minute
    // of it passes at once below.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      renderWithProject(<OutputPage />, fake, 'output');
      await screen.findByText('I will run the tests.');
      const asked = () => fake.calls.filter((call) => call.name === 'run:events').length;
      const before = asked();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(asked()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says in one line when the coordinator that runs it cannot be reached, until its output comes again', async () => {
    const fake = await withRun();
    await fake.updateAgent('agent-1', { state: 'working', ended_at: null });
    renderWithProject(<OutputPage />, fake, 'output');
    await screen.findByText('I will run the tests.');
    const line =
      "agent-1's output is on the coordinator there:/work (http://10.0.0.2:8080), which cannot be reached: connection refused; it follows on when that coordinator is back";
    fake.tellOutput({ agent_id: 'agent-1', total: 7, away: line });
    expect(await screen.findByText(line)).toBeTruthy();
    fake.appendOutput('agent-1', [{ type: 'stderr', text: 'back again' }]);
    expect(await screen.findByText('back again')).toBeTruthy();
    expect(screen.queryByText(line)).toBeNull();
  });
});

// Review finding: a project with no run yet showed an empty agent picker beside "No agent has run yet.".
describe('run output with no run yet', () => {
  it('says so, with no empty picker', async () => {
    renderWithProject(<OutputPage />, await Workgraph.open(), 'output');
    await screen.findByText('No agent has run yet.');
    expect(screen.queryByRole('combobox', { name: 'Agent' })).toBeNull();
  });
});

// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatRelative } from '../../src/renderer/components/format';
import { RelativeTime } from '../../src/renderer/components/RelativeTime';
import { TaskCard } from '../../src/renderer/graph/TaskCard';
import { ScoreBar } from '../../src/renderer/inspector/EvaluationBars';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

const scored = (score: number) =>
  makeTask({
    id: `t${score}`,
    title: 'Scored',
    status: 'done',
    evaluation: { score, dimensions: {}, evaluator: 'judge', notes: null, timestamp: '2025-06-02T08:00:00Z' },
  });

describe('scores coloured by the project’s evaluation threshold', () => {
  it('a passing 78% is green and a failing 55% red at the default 70%; at 80%, the 78% fails', async () => {
    const fake = await Workgraph.open();
    const badge = (score: number) => {
      const { container } = renderWithProject(<TaskCard task={scored(score)} agent={null} state={{ kind: 'done', text: 'done' }} />, fake);
      return container.querySelector<HTMLElement>('.badge-eval');
    };
    expect(badge(0.78)?.style.getPropertyValue('--c')).toBe('var(--state-done)');
    expect(badge(0.55)?.style.getPropertyValue('--c')).toBe('var(--state-failed)');
    cleanup();
    await fake.call('config:update', { evalThreshold: 0.8 });
    const strict = badge(0.78);
    await waitFor(() => expect(strict?.style.getPropertyValue('--c')).toBe('var(--state-failed)'));
    expect(strict?.getAttribute('title')).toBe('evaluation 78%: below the threshold of 80%');
  });

  it('colours the inspector’s bars the same way', () => {
    render(<ScoreBar label="overall" score={0.78} />);
    expect(screen.getByRole('meter', { name: 'overall' }).style.getPropertyValue('--score-colour')).toBe('var(--state-done)');
  });
});

describe('dates in the person’s locale', () => {
  const withLanguages = <T,>(languages: string[], run: () => T): T => {
    const saved = Object.getOwnPropertyDescriptor(navigator, 'languages');
    Object.defineProperty(navigator, 'languages', { value: languages, configurable: true });
    try {
      return run();
    } finally {
      if (saved) Object.defineProperty(navigator, 'languages', saved);
      else Reflect.deleteProperty(navigator, 'languages');
    }
  };

  it('writes a date and time as the browser’s languages ask, not in the runtime’s default', () => {
    const at = '2025-06-02T08:00:00Z';
    const german = withLanguages(['de-DE', 'en'], () => formatDate(at));
    expect(german).toBe(new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)));
    expect(german).toMatch(/^0?2\.0?6\.2025|^2\. Juni 2025/);
    const british = withLanguages(['en-GB'], () => formatDate(at));
    expect(british).toMatch(/^2 Jun 2025/);
    expect(withLanguages(['fr-FR'], () => formatRelative('2025-06-02T07:00:00Z', Date.parse(at)))).toMatch(/^il y a 1\sh$/);
  });
});

describe('a time said in seconds', () => {
  it('moves each second, as a running time beside it does (it once lagged one by up to 15 s)', async () => {
    const { container } = render(<RelativeTime iso={new Date(Date.now() - 20_000).toISOString()} />);
    const said = () => container.querySelector('time')?.textContent;
    const first = said();
    expect(first).toMatch(/20/);
    await waitFor(() => expect(said()).not.toBe(first), { timeout: 2500 });
    expect(said()).toMatch(/2[12]/);
  });
});

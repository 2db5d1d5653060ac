// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageErrorBoundary, PageLoadError } from '../../src/renderer/components/PageErrorBoundary';

/*
 * A page's failure stays inside the page (one page's failed load must not empty the whole window): a plain sentence,
 * no library text, and Retry. The failed load itself is test/ui/coordinator-lost.browser.test.ts.
 */
afterEach(cleanup);

/** Throws while broken (React renders a failing component more than once before it gives up on it). */
let broken = false;
function Flaky({ error }: { error: Error }) {
  if (broken) throw error;
  return <h1>Agents</h1>;
}

describe('a page that fails', () => {
  it('on render says so in plain words, keeps what is around it, and shows again on Retry', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    broken = true;
    const retried = vi.fn(() => {
      broken = false;
    });
    render(
      <div>
        <nav>sidebar</nav>
        <PageErrorBoundary title="Agents" onRetry={retried}>
          <Flaky error={new TypeError("Cannot read properties of undefined (reading 'map')")} />
        </PageErrorBoundary>
      </div>,
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'The Agents page stopped working because of an error in the window. Retry shows it again; the rest of the window still works.',
    );
    expect(document.body.textContent).not.toContain('Cannot read');
    expect(screen.getByText('sidebar')).toBeTruthy();
    // What went wrong is kept for whoever reports it.
    expect(quiet.mock.calls.some((call) => String(call[0]).includes('The Agents page failed'))).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retried).toHaveBeenCalledOnce();
    expect(screen.getByRole('heading', { name: 'Agents' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    quiet.mockRestore();
  });

  it('whose code could not be fetched says what to do', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    broken = true;
    render(
      <PageErrorBoundary title="Spend">
        <Flaky error={new PageLoadError()} />
      </PageErrorBoundary>,
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'The Spend page could not be loaded. If the coordinator that serves this window stopped, start it again (wg service start), then retry.',
    );
    quiet.mockRestore();
  });
});

import { Component, type ReactNode } from 'react';

/** A page's code that could not be fetched (the window in a browser whose coordinator stopped serving it). */
export class PageLoadError extends Error {
  constructor() {
    super('the page could not be loaded');
    this.name = 'PageLoadError';
  }
}

interface Props {
  /** What the page is called, for the message ("Agents"). */
  title: string;
  /** Called before the page is shown again (a page whose code failed to load is fetched anew). */
  onRetry?: () => void;
  children: ReactNode;
}

interface State {
  failed: 'load' | 'render' | null;
}

/**
 * Keeps a page's failure inside the page: without it React removes the whole window (sidebar, banners and all) on
 * one page's error, and the person is left with an empty screen. The page says so in plain words and offers Retry;
 * what went wrong goes to the console for whoever reports it, never onto the screen.
 */
export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { failed: null };

  static getDerivedStateFromError(error: unknown): State {
    return { failed: error instanceof PageLoadError ? 'load' : 'render' };
  }

  override componentDidCatch(error: unknown): void {
    console.error(`The ${this.props.title} page failed:`, error);
  }

  private retry = (): void => {
    this.props.onRetry?.();
    this.setState({ failed: null });
  };

  override render(): ReactNode {
    const { failed } = this.state;
    if (failed === null) return this.props.children;
    return (
      <div className="page">
        <div className="error-alert" role="alert">
          <span>
            {failed === 'load'
              ? `The ${this.props.title} page could not be loaded. If the coordinator that serves this window stopped, start it again (wg service start), then retry.`
              : `The ${this.props.title} page stopped working because of an error in the window. Retry shows it again; the rest of the window still works.`}
          </span>
        </div>
        <button type="button" className="primary" onClick={this.retry}>
          Retry
        </button>
      </div>
    );
  }
}

import { Component, lazy, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { Dialog } from './Dialog';
import { loadAnew } from './load-anew';
import { PageLoadError } from './PageErrorBoundary';

interface LazyPartOptions<P> {
  /** What the part is, for the message: "the task form". */
  what: string;
  /** A part shown as a dialog (the task form) says its failure in a dialog too, closed as the part would be. */
  dialogClose?: (props: P) => () => void;
}

/**
 * A part of a page whose code loads when it is first shown (the task form, the board, the diff viewer). React keeps a
 * lazy component's failed load for good: one moment with the coordinator that serves the window stopped left the
 * part broken until a reload, and took the whole page down with it. Here a failed load is said where the part would
 * be, with Retry, which fetches the code anew (loadAnew); a part that did load stays loaded.
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>, options: LazyPartOptions<P>): ComponentType<P> {
  let current: LazyExoticComponent<ComponentType<P>> | null = null;
  let failedBefore = false;
  const loaded = () => {
    if (current) return current;
    const made = lazy(() =>
      (failedBefore ? loadAnew(load) : load()).then(
        (part) => ({ default: part }),
        (error: unknown) => {
          failedBefore = true;
          console.error(`Loading the code of ${options.what} failed:`, error);
          throw new PageLoadError();
        },
      ),
    );
    current = made;
    return made;
  };
  function LazyPart(props: P) {
    const [, setAttempts] = useState(0);
    const Part = loaded();
    // Forgotten once the failure is shown (not as the load fails: React renders again at once before it shows the
    // error, and a new load then would fail again, without end): shown again, by Retry or when the form is opened again,
    // the part's code is fetched anew.
    const forget = () => {
      if (current === Part) current = null;
    };
    const retry = () => setAttempts((n) => n + 1);
    return (
      <LoadBoundary what={options.what} close={options.dialogClose?.(props)} onFailed={forget} onRetry={retry}>
        <Part {...props} />
      </LoadBoundary>
    );
  }
  return LazyPart;
}

interface BoundaryProps {
  what: string;
  close: (() => void) | undefined;
  onFailed: () => void;
  onRetry: () => void;
  children: ReactNode;
}

/** Catches a part's failed load only: any other error goes on to the page's own boundary. */
class LoadBoundary extends Component<BoundaryProps, { failed: unknown }> {
  override state: { failed: unknown } = { failed: null };

  static getDerivedStateFromError(error: unknown): { failed: unknown } {
    return { failed: error };
  }

  override componentDidCatch(error: unknown): void {
    if (error instanceof PageLoadError) this.props.onFailed();
  }

  private retry = (): void => {
    this.props.onRetry();
    this.setState({ failed: null });
  };

  override render(): ReactNode {
    const { failed } = this.state;
    if (failed === null) return this.props.children;
    if (!(failed instanceof PageLoadError)) throw failed;
    const { what, close } = this.props;
    const title = `${what[0]?.toUpperCase() ?? ''}${what.slice(1)}`;
    const said = (
      <p className="error-alert" role="alert">
        {`${title} could not be loaded. If the coordinator that serves this window stopped, start it again (wg service start), then retry.`}
      </p>
    );
    const retry = (
      <button type="button" className="primary" data-autofocus onClick={this.retry}>
        Retry
      </button>
    );
    if (close) {
      return (
        <Dialog title={title} onClose={close}>
          {said}
          <div className="button-row">
            {retry}
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </Dialog>
      );
    }
    return (
      <div className="part-load-failed">
        {said}
        {retry}
      </div>
    );
  }
}

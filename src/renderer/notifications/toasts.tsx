import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface Toast {
  id: number;
  tone: 'info' | 'error' | 'success';
  title: string;
  body?: string;
  action?: { label: string; run: () => void };
  /**
   * A toast with the same key updates the one showing, in its place, instead of stacking (repeated errors, a burst of
   * moves told as one): it stays the same element, so a pointer over it or the focus on its button stays there.
   */
  key?: string;
  /** How long it stays; undo toasts stay longer than notices. */
  durationMs?: number;
  /**
   * Called once it has gone (timed out, closed, its action taken, Ctrl+Z), not when a toast with its key updates it:
   * whoever merges into a keyed toast learns here that the next one starts afresh.
   */
  onClose?: () => void;
}

export interface UndoOptions {
  /** As `Toast.key`: a later undo notice with this key updates this one (its Undo then replaces this one's). */
  key?: string;
  onClose?: () => void;
}

interface ToastApi {
  push(toast: Omit<Toast, 'id'>): void;
  /** "Removed X" with an Undo button: the safe alternative to asking first. */
  pushUndo(title: string, undo: () => void, body?: string, options?: UndoOptions): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const TOAST_MS = 8000;
const UNDO_MS = 12_000;
const MAX_TOASTS = 5;

/** In-app notifications in the corner; each disappears after a while or when closed. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  // What is showing, for the handlers (a toast's onClose, Ctrl+Z) that run outside a render: set with the state, so a
  // second push in the same tick (a burst of moves, failures told together) sees the first.
  const latest = useRef(toasts);
  // A toast's time that ends after the window's tree is gone dismisses nothing (it set state on an unmounted tree).
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    };
  }, []);
  const show = useCallback((list: Toast[]) => {
    latest.current = list;
    setToasts(list);
  }, []);
  const dismiss = useCallback(
    (id: number) => {
      clearTimeout(timers.current.get(id));
      timers.current.delete(id);
      const gone = latest.current.find((toast) => toast.id === id);
      if (!gone) return;
      show(latest.current.filter((toast) => toast.id !== id));
      gone.onClose?.();
    },
    [show],
  );
  const restart = useCallback(
    (id: number, durationMs: number | undefined) => {
      clearTimeout(timers.current.get(id));
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), durationMs ?? TOAST_MS),
      );
    },
    [dismiss],
  );
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const showing = toast.key === undefined ? undefined : latest.current.find((t) => t.key === toast.key);
      if (showing) {
        show(latest.current.map((t) => (t.id === showing.id ? { ...toast, id: showing.id } : t)));
        // Its whole time again, unless it is held (pointer or focus on it): then it goes its time after they leave.
        if (timers.current.has(showing.id)) restart(showing.id, toast.durationMs);
        return;
      }
      const id = next.current++;
      show([...latest.current, { ...toast, id }]);
      restart(id, toast.durationMs);
      // The oldest beyond the cap go as if closed: their timers stop and whoever merges into them starts afresh.
      for (const old of latest.current.slice(0, -MAX_TOASTS)) dismiss(old.id);
    },
    [show, restart, dismiss],
  );
  // Held while the pointer is over it or the focus in it (a person reaching Undo by Tab took longer than it stayed),
  // and given its whole time again when they leave.
  const hold = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  }, []);
  const resume = useCallback(
    (toast: Toast) => {
      if (!timers.current.has(toast.id)) restart(toast.id, toast.durationMs);
    },
    [restart],
  );
  // Ctrl+Z (⌘Z) undoes what the newest Undo notice offers, outside a text field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      const undo = latest.current.findLast((toast) => toast.action?.label === 'Undo');
      if (!undo?.action) return;
      event.preventDefault();
      undo.action.run();
      dismiss(undo.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dismiss]);
  const pushUndo = useCallback(
    (title: string, undo: () => void, body?: string, options?: UndoOptions) =>
      push({ tone: 'info', title, body, action: { label: 'Undo', run: undo }, durationMs: UNDO_MS, ...options }),
    [push],
  );
  const api = useMemo(() => ({ push, pushUndo }), [push, pushUndo]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toasts" aria-label="Notifications" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast-${toast.tone}`}
            role="status"
            onMouseEnter={() => hold(toast.id)}
            onMouseLeave={(event) => {
              if (!event.currentTarget.contains(document.activeElement)) resume(toast);
            }}
            onFocus={() => hold(toast.id)}
            onBlur={(event) => {
              if (!event.currentTarget.contains(event.relatedTarget as Node | null)) resume(toast);
            }}
          >
            <div className="toast-text">
              <strong>{toast.title}</strong>
              {toast.body && <div className="small">{toast.body}</div>}
            </div>
            {toast.action && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  toast.action?.run();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button type="button" className="icon-button" aria-label="Close notification" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

export function useToasts(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToasts outside <ToastProvider>');
  return api;
}

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface Toast {
  id: number;
  tone: 'info' | 'error' | 'success';
  title: string;
  body?: string;
  action?: { label: string; run: () => void };
  /** A toast with the same key replaces the one showing instead of stacking (repeated errors). */
  key?: string;
  /** How long it stays; undo toasts stay longer than notices. */
  durationMs?: number;
}

interface ToastApi {
  push(toast: Omit<Toast, 'id'>): void;
  /** "Removed X" with an Undo button: the safe alternative to asking first. */
  pushUndo(title: string, undo: () => void, body?: string): void;
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
  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((list) => list.filter((toast) => toast.id !== id));
  }, []);
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = next.current++;
      setToasts((list) => [...list.filter((t) => toast.key === undefined || t.key !== toast.key), { ...toast, id }].slice(-MAX_TOASTS));
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), toast.durationMs ?? TOAST_MS),
      );
    },
    [dismiss],
  );
  // Held while the pointer is over it or the focus in it (a person reaching Undo by Tab took longer than it stayed),
  // and given its whole time again when they leave.
  const hold = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  }, []);
  const resume = useCallback(
    (toast: Toast) => {
      if (!timers.current.has(toast.id))
        timers.current.set(
          toast.id,
          setTimeout(() => dismiss(toast.id), toast.durationMs ?? TOAST_MS),
        );
    },
    [dismiss],
  );
  // Ctrl+Z (⌘Z) undoes what the newest Undo notice offers, outside a text field.
  const latest = useRef(toasts);
  latest.current = toasts;
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
    (title: string, undo: () => void, body?: string) =>
      push({ tone: 'info', title, body, action: { label: 'Undo', run: undo }, durationMs: UNDO_MS }),
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

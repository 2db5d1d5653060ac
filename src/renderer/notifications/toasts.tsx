import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export interface Toast {
  id: number;
  tone: 'info' | 'error' | 'success';
  title: string;
  body?: string;
  action?: { label: string; run: () => void };
}

interface ToastApi {
  push(toast: Omit<Toast, 'id'>): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const TOAST_MS = 8000;
const MAX_TOASTS = 5;

/** In-app notifications in the corner; each disappears after a while or when closed. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)), []);
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = next.current++;
      setToasts((list) => [...list, { ...toast, id }].slice(-MAX_TOASTS));
      setTimeout(() => dismiss(id), TOAST_MS);
    },
    [dismiss],
  );
  const api = useMemo(() => ({ push }), [push]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`} role="status">
            <div className="toast-text">
              <strong>{toast.title}</strong>
              {toast.body && <div className="small">{toast.body}</div>}
            </div>
            {toast.action && (
              <button type="button" className="link-button" onClick={() => { toast.action?.run(); dismiss(toast.id); }}>
                {toast.action.label}
              </button>
            )}
            <button type="button" className="link-button" aria-label="Close notification" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToasts(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToasts outside <ToastProvider>');
  return api;
}

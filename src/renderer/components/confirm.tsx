import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';
import { Field } from './Field';

interface ConfirmChoice {
  value: string;
  label: string;
  /** What will happen, in a sentence. */
  detail: string;
}

export interface ConfirmRequest {
  title: string;
  body?: ReactNode;
  confirmLabel: string;
  /** A destructive action: the confirm button is red. */
  danger?: boolean;
  /** Ask for a reason (Fail, Abandon); `required` keeps the button disabled until one is typed. */
  reason?: { label: string; required: boolean; placeholder?: string };
  /** Offer mutually exclusive ways to go ahead (Kill: requeue or hold); the first is the default. */
  choices?: ConfirmChoice[];
}

export interface ConfirmAnswer {
  reason: string;
  choice: string | null;
}

type Ask = (request: ConfirmRequest) => Promise<ConfirmAnswer | null>;

const ConfirmContext = createContext<Ask | null>(null);

/**
 * `useConfirm()(request)` asks before a destructive action, optionally for a reason or a choice,
 * and resolves with the answer, or null when the user cancels (Escape, Cancel, a click outside).
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const settle = useRef<((answer: ConfirmAnswer | null) => void) | null>(null);

  const ask = useCallback<Ask>((next) => {
    settle.current?.(null);
    return new Promise((resolve) => {
      settle.current = resolve;
      setRequest(next);
    });
  }, []);
  const finish = useCallback((answer: ConfirmAnswer | null) => {
    settle.current?.(answer);
    settle.current = null;
    setRequest(null);
  }, []);
  const value = useMemo(() => ask, [ask]);

  return (
    <ConfirmContext.Provider value={value}>
      {children}
      {request && <ConfirmDialog request={request} onAnswer={finish} />}
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Ask {
  const ask = useContext(ConfirmContext);
  if (!ask) throw new Error('useConfirm outside <ConfirmProvider>');
  return ask;
}

const MootContext = createContext<((moot: boolean) => void) | null>(null);

/**
 * For a confirmation's body that reads what it acts on live: `moot` says the action has nothing left to do (the run to
 * stop has ended meanwhile). The dialog then offers only Close, rather than a red button that would do nothing, or
 * be refused.
 */
export function useConfirmMoot(moot: boolean): void {
  const setMoot = useContext(MootContext);
  useEffect(() => setMoot?.(moot), [setMoot, moot]);
}

/** The keys that submit from the reason box, as this machine names them. */
const SUBMIT_KEYS = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform) ? '⌘Enter' : 'Ctrl+Enter';

function ConfirmDialog({ request, onAnswer }: { request: ConfirmRequest; onAnswer: (answer: ConfirmAnswer | null) => void }) {
  const [reason, setReason] = useState('');
  const [choice, setChoice] = useState<string | null>(request.choices?.[0]?.value ?? null);
  const [moot, setMoot] = useState(false);
  const close = useRef<HTMLButtonElement | null>(null);
  const missingReason = request.reason?.required === true && reason.trim() === '';
  const chosen = request.choices?.find((c) => c.value === choice);
  const submit = () => {
    if (moot) onAnswer(null);
    else if (!missingReason) onAnswer({ reason: reason.trim(), choice });
  };
  // The control that had the focus (a choice, the reason) is gone once the action is moot: without this the focus
  // would fall out of the dialog, where Escape no longer reaches it.
  useEffect(() => {
    if (moot) close.current?.focus();
  }, [moot]);

  return (
    <Dialog title={request.title} className="narrow" onClose={() => onAnswer(null)} onSubmit={submit}>
      {request.body && (
        <MootContext.Provider value={setMoot}>
          <div className="confirm-body">{request.body}</div>
        </MootContext.Provider>
      )}
      {request.choices && !moot && (
        <fieldset className="choice-list" aria-label="What should happen">
          {request.choices.map((option, index) => (
            <label key={option.value} className="choice">
              <input
                type="radio"
                name="confirm-choice"
                value={option.value}
                checked={choice === option.value}
                onChange={() => setChoice(option.value)}
                data-autofocus={index === 0 ? true : undefined}
              />
              <div>
                <strong>{option.label}</strong>
                <span>{option.detail}</span>
              </div>
            </label>
          ))}
        </fieldset>
      )}
      {request.reason && !moot && (
        <Field label={request.reason.label} hint={`${request.reason.required ? 'required' : 'optional'} · ${SUBMIT_KEYS} to confirm`}>
          <textarea
            rows={3}
            value={reason}
            placeholder={request.reason.placeholder}
            onChange={(e) => setReason(e.target.value)}
            // Enter is a new line in the reason, as in any text box; Ctrl+Enter (⌘Enter) answers without reaching for
            // the button, as sending a message does.
            onKeyDown={(event) => {
              if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
              event.preventDefault();
              submit();
            }}
            data-autofocus={request.choices ? undefined : true}
          />
        </Field>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          ref={close}
          onClick={() => onAnswer(null)}
          data-autofocus={!request.choices && !request.reason ? true : undefined}
        >
          {moot ? 'Close' : 'Cancel'}
        </button>
        {!moot && (
          <button type="submit" className={request.danger ? 'danger-solid' : 'primary'} disabled={missingReason}>
            {chosen ? chosen.label : request.confirmLabel}
          </button>
        )}
      </div>
    </Dialog>
  );
}

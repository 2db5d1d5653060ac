import { useId, useLayoutEffect, useRef } from 'react';

/**
 * In place of a form's buttons when it is closed with changes in it: "Discard changes? Discard / Keep editing".
 * Inline rather than another dialog, so the person still sees what they would lose. The focus goes to the safe
 * answer, so a second Escape or Enter keeps the form; keeping it gives the focus back to where it was.
 */
export function DiscardAsk({ onDiscard, onKeep }: { onDiscard: () => void; onKeep: () => void }) {
  const keep = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  useLayoutEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    keep.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);
  return (
    <fieldset className="dialog-actions discard-ask" aria-labelledby={questionId}>
      <span id={questionId} className="discard-question">
        Discard changes?
      </span>
      <button type="button" className="danger" onClick={onDiscard}>
        Discard
      </button>
      <button type="button" ref={keep} className="primary" onClick={onKeep}>
        Keep editing
      </button>
    </fieldset>
  );
}

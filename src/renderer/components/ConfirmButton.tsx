import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import './ConfirmButton.css';

/** How long the question stays: long enough to read it, short enough that a stray click cannot arm it for later. */
const ASKING_MS = 6000;

/**
 * A destructive action in two steps: the first click asks ("Remove? Yes / No"), the second does it.
 * The question goes away by itself after a few seconds, so a stray click cannot arm it for later.
 *
 * For the keyboard: the question puts the focus on the safe answer (No), so Enter pressed twice
 * does not destroy anything; Escape cancels; and whenever the question goes while it holds the
 * focus (No, Escape, Yes, the time running out) the focus goes back to the button that asked,
 * rather than dropping to the page with the question's buttons.
 */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  disabled,
  yes = 'Yes',
  no = 'No',
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  /** The answer that does it, e.g. "Yes, revoke". */
  yes?: string;
  /** The answer that leaves things as they are, e.g. "Cancel". */
  no?: string;
}) {
  const [asking, setAsking] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLFieldSetElement>(null);
  // Whether the question held the focus when it went: only then is the focus handed back (a person who has
  // moved on elsewhere while it waited keeps the focus where they put it).
  const refocus = useRef(false);

  const stopAsking = useCallback(() => {
    refocus.current = box.current?.contains(document.activeElement) ?? false;
    setAsking(false);
  }, []);

  useEffect(() => {
    if (!asking) return;
    const timer = setTimeout(stopAsking, ASKING_MS);
    return () => clearTimeout(timer);
  }, [asking, stopAsking]);

  // Before paint, so the focus never rests on <body> between the two renders.
  useLayoutEffect(() => {
    if (asking) {
      safe.current?.focus();
    } else if (refocus.current) {
      refocus.current = false;
      trigger.current?.focus();
    }
  }, [asking]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    // Handled here: the inspector or dialog around the question stays open.
    event.preventDefault();
    event.stopPropagation();
    stopAsking();
  };

  if (!asking) {
    return (
      <button ref={trigger} type="button" className="small-button danger" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <fieldset ref={box} className="confirm" aria-label={question} onKeyDown={onKeyDown}>
      <span className="small">{question}</span>
      <button
        type="button"
        className="small-button danger"
        onClick={() => {
          stopAsking();
          onConfirm();
        }}
      >
        {yes}
      </button>
      <button ref={safe} type="button" className="small-button" onClick={stopAsking}>
        {no}
      </button>
    </fieldset>
  );
}

import { useEffect, useState } from 'react';

/**
 * A destructive action in two steps: the first click asks ("Remove? Yes / No"), the second does it.
 * The question goes away by itself after a few seconds, so a stray click cannot arm it for later.
 */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  disabled,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (!asking) return;
    const timer = setTimeout(() => setAsking(false), 6000);
    return () => clearTimeout(timer);
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className="small-button danger" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <fieldset className="confirm" aria-label={question}>
      <span className="small">{question}</span>
      <button
        type="button"
        className="small-button danger"
        // biome-ignore lint/a11y/noAutofocus: the button that had the focus is gone (replaced by this question); the focus moves to the answer, not to the page
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes
      </button>
      <button type="button" className="small-button" onClick={() => setAsking(false)}>
        No
      </button>
    </fieldset>
  );
}

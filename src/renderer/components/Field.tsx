import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';

export type ControlProps = { id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean };

/**
 * A labelled form control with its hint or validation message underneath. The message is tied to
 * the control with aria-describedby, so the control's accessible name stays just the label.
 */
export function Field({
  label,
  error,
  hint,
  children,
  below,
}: {
  label: string;
  error?: string;
  hint?: string;
  children: ReactElement<ControlProps>;
  /** More under the message: what a person can do about it (a value to compare, a button). */
  below?: ReactNode;
}) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = error ?? hint;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id, 'aria-describedby': note ? noteId : undefined, 'aria-invalid': error ? true : undefined })}
      {note && (
        <span id={noteId} className={error ? 'field-error' : 'field-hint'}>
          {note}
        </span>
      )}
      {below}
    </div>
  );
}

/** A refusal or failure, shown verbatim; `role="alert"` so screen readers announce it. */
export function ErrorAlert({ message, onDismiss }: { message: string | null; onDismiss?: () => void }) {
  if (!message) return null;
  return (
    <div className="error-alert" role="alert">
      <span>{message}</span>
      {onDismiss && (
        <button type="button" className="link-button" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}

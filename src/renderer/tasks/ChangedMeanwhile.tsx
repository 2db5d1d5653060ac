/**
 * Under a field the person changed that someone else (another window, `wg edit`) changed too while the form was
 * open: the value it has now, so they can compare before a second Save writes theirs over it, or take it instead.
 */
export function ChangedMeanwhile({ current, onUseCurrent }: { current: string; onUseCurrent: () => void }) {
  return (
    <div className="changed-meanwhile">
      <span className="muted small">It is now:</span>
      <blockquote>{current === '' ? <span className="muted">(empty)</span> : current}</blockquote>
      <span className="small">
        Save again to write yours over it, or{' '}
        <button type="button" className="link-button" onClick={onUseCurrent}>
          use the current one
        </button>
      </span>
    </div>
  );
}

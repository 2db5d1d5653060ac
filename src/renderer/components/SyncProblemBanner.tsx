import { useProjectFacts } from '../state/project-facts';
import './SyncProblemBanner.css';

/**
 * At the top of the main area while the project's files for upstream's `wg` (graph.jsonl, messages/) cannot be kept
 * in step with this window: a git merge left conflict markers, a line is not JSON, upstream's lock stays held. Else
 * the window shows its graph as if all were well while the two tools drift apart, and only the service log knows.
 * The sync's own sentence says what is wrong and what to do; the note stays until a sync succeeds (the coordinator's
 * status carries it, and a change event says when it changes).
 */
export function SyncProblemBanner() {
  const problem = useProjectFacts().service?.sync_problem;
  if (!problem) return null;
  // An alert, as "Cannot load the graph" is: the graph shown may be wrong until the person acts, and an alert is
  // announced as it appears (a status region added with its text may go unread), and again when its sentence changes.
  return (
    <div className="sync-problem-banner" role="alert" aria-atomic="true">
      <span className="sync-problem-mark" aria-hidden="true">
        !
      </span>
      <div className="sync-problem-words">
        <strong>Not in step with upstream's wg.</strong>
        <p className="sync-problem-text">{problem}</p>
        <p className="sync-problem-note">
          Until then this window and <code>wg</code> may show different graphs. This note goes once a sync succeeds.
        </p>
      </div>
    </div>
  );
}

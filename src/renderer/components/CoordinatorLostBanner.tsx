import { useConnection } from '../hooks/use-connection';
import './CoordinatorLostBanner.css';

/**
 * At the top of the main area while the coordinator serving this window (browser mode) does not answer: stopped,
 * restarting, or the network between them down. Else the window goes on showing the last state it heard, timers
 * ticking, as if all were well. It goes by itself when the coordinator answers again (the view is read afresh then).
 */
export function CoordinatorLostBanner() {
  const { lostAt } = useConnection();
  if (lostAt === null) return null;
  const since = new Date(lostAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  // An alert, as the sync problem is: what is on screen may be wrong from now on, and a person acting on it should know.
  return (
    <div className="coordinator-lost-banner" role="alert" aria-atomic="true">
      <span className="coordinator-lost-mark" aria-hidden="true" />
      <p>
        <strong>The coordinator is not answering.</strong> What you see is as of {since} and may be out of date; running times are stopped
        there. The window reconnects by itself. If the coordinator was stopped, start it again with <code>wg service start</code>.
      </p>
    </div>
  );
}

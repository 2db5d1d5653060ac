import type { LogEntry } from '../../shared/task';
import { RelativeTime } from '../components/RelativeTime';
import { plainText } from '../output/plain-text';
import { actorName, humanLogLine } from './log-lines';

/** The task log, oldest first, phrased for people; each line's raw text is on hover. */
export function LogTimeline({ log }: { log: readonly LogEntry[] }) {
  if (log.length === 0) return <p className="muted">No log entries.</p>;
  return (
    <ol className="timeline" aria-label="Task log">
      {log.map((entry, index) => {
        const human = humanLogLine(entry);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the log only grows at its end and its rows hold no state, so an entry's place is its identity
          <li key={index} className="timeline-entry">
            <div className="timeline-meta">
              <RelativeTime iso={entry.timestamp} />
              <span className="timeline-actor">{actorName(entry.actor)}</span>
            </div>
            <div
              className="timeline-message"
              title={human === plainText(entry.message) ? undefined : plainText(entry.message)}
              data-raw={entry.message}
            >
              {human}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

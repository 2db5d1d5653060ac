import type { LogEntry } from '../../shared/task';
import { formatDate } from '../components/format';

/** The task log, oldest first, as a vertical timeline. */
export function LogTimeline({ log }: { log: readonly LogEntry[] }) {
  if (log.length === 0) return <p className="muted">No log entries.</p>;
  return (
    <ol className="timeline" aria-label="Task log">
      {log.map((entry, index) => (
        <li key={index} className="timeline-entry">
          <div className="timeline-meta">
            <time dateTime={entry.timestamp}>{formatDate(entry.timestamp)}</time>
            <span className="timeline-actor">{entry.actor}</span>
          </div>
          <div className="timeline-message">{entry.message}</div>
        </li>
      ))}
    </ol>
  );
}

import type { TaskStatus } from '../../shared/task';
import { STATUS_COLOURS } from './status';

export function StatusPill({ status }: { status: TaskStatus }) {
  return (
    <span className="pill" data-status={status} style={{ background: STATUS_COLOURS[status] }}>
      {status}
    </span>
  );
}

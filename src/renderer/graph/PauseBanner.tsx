import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useConnection } from '../hooks/use-connection';
import { useProjectFacts } from '../state/project-facts';
import type { StartWait } from '../../shared/service-types';

/**
 * Over the graph while nothing new can start: the coordinator is paused (with Resume), or not
 * running at all; or while some ready tasks cannot start on its machine yet (StartWaitBanner).
 * Otherwise a ready task would sit there with no explanation.
 */
export function PauseBanner() {
  const { service, serviceError, reload } = useProjectFacts();
  const client = useClient();
  const mutation = useMutation();
  // What it last said may be over, and Resume cannot reach it: CoordinatorLostBanner speaks for it meanwhile.
  if (!useConnection().reachable) return null;
  if (serviceError || service?.running === false) {
    return (
      <div className="pause-banner" role="status">
        <span>
          <strong>The coordinator is not running:</strong> no task will start. Start it with <code>wg service start</code>.
        </span>
      </div>
    );
  }
  if (!service?.paused) return <StartWaitBanner waits={service?.waiting ?? []} />;
  return (
    <div className="pause-banner" role="status">
      <span>
        <strong>The coordinator is paused:</strong> agents already running finish, no new task starts.
      </span>
      <button
        type="button"
        className="primary"
        disabled={mutation.pending}
        onClick={() =>
          void mutation.run(async () => {
            await client['service:resume']({});
            await reload();
          })
        }
      >
        Resume
      </button>
      <ErrorAlert message={mutation.error} onDismiss={mutation.clearError} />
    </div>
  );
}

/**
 * Ready tasks that wait for what the coordinator's machine lacks (the agent CLI not installed, a first commit): what,
 * whose tasks, and that they start by themselves once it is there. A first run on a new machine meets this first.
 */
function StartWaitBanner({ waits }: { waits: StartWait[] }) {
  if (waits.length === 0) return null;
  return (
    <div className="pause-banner" role="status">
      {waits.map((wait) => (
        <span key={wait.reason}>
          <StartWaitText wait={wait} />
        </span>
      ))}
    </div>
  );
}

/** One wait in words, the same over the graph and on the Service page. */
export function StartWaitText({ wait }: { wait: StartWait }) {
  return (
    <>
      <strong>
        Tasks of {wait.executors.length === 1 ? 'executor' : 'executors'} {wait.executors.join(', ')} wait:
      </strong>{' '}
      {wait.reason}. They start by themselves once that is done.
    </>
  );
}

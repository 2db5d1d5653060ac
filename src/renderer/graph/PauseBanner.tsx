import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useConnection } from '../hooks/use-connection';
import { useProjectFacts } from '../state/project-facts';

/**
 * Over the graph while nothing new can start: the coordinator is paused (with Resume), or not
 * running at all. Otherwise a ready task would sit there with no explanation.
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
  if (!service?.paused) return null;
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

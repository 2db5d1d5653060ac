import { useCallback } from 'react';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useOpQuery } from '../hooks/use-op-query';
import { useClock } from '../hooks/use-clock';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { useTaskStates } from '../task-state/use-task-states';
import { DaemonTables } from './agent-daemons/DaemonTables';
import { TokensSection } from './agent-daemons/TokensSection';

/** Heartbeats change no task, so no change event says a daemon is still there: looked at again this often. */
const REFRESH_MS = 3000;

/** Agent daemons (wg agentd on other machines): who is connected, what they run, what waits, and their tokens. */
export function AgentDaemonsPage() {
  const client = useClient();
  const { selectTask, openOutput } = useNavigation();
  const status = useOpQuery(
    useCallback(() => client['agentd:status']({}), [client]),
    { onChange: true, intervalMs: REFRESH_MS },
  );
  const now = useClock();
  // The graph whose states are whole (none said before the first are).
  const states = useTaskStates(useGraph())?.states;
  const needsYou = (taskId: string) => {
    const state = states?.get(taskId);
    return state?.kind === 'needs-you' ? state.text : null;
  };
  return (
    <div className="page">
      <header className="page-head">
        <h1>Agent daemons</h1>
      </header>
      <ErrorAlert message={status.error} />
      {status.data && (
        <DaemonTables
          status={status.data}
          now={now}
          needsYou={needsYou}
          onOpenTask={(id) => selectTask(id, true)}
          onOpenOutput={openOutput}
        />
      )}
      <TokensSection />
    </div>
  );
}

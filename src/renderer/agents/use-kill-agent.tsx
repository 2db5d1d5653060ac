import { useCallback } from 'react';
import { isAlive, type Agent } from '../../shared/agent';
import { useClient } from '../api/backend-context';
import { useConfirm, useConfirmMoot } from '../components/confirm';
import { useGraph, useGraphStore } from '../state/graph-context';

/**
 * What the Stop dialog says, read live: a run can end while the dialog is open (a build that finishes while the person
 * reads), and a dialog that still says "it is working… work it has not saved is lost" over a row that says done
 * misstates the run.
 */
function StopBody({ agentId, taskTitle }: { agentId: string; taskTitle: string }) {
  const agent = useGraph().agents.get(agentId);
  const ended = agent !== undefined && !isAlive(agent);
  useConfirmMoot(ended);
  if (ended) {
    return (
      <p role="status">
        {agentId} has ended meanwhile ({agent.state}): there is nothing to stop, and “{taskTitle}” is left as the run left it.
      </p>
    );
  }
  return <p>It is working on “{taskTitle}”. Its process and everything it started are ended now; work it has not saved is lost.</p>;
}

/**
 * Kill, asked first, with the two outcomes spelled out: stop and requeue (the coordinator starts
 * the task again soon, as a fresh run) or stop and hold (the task is paused until resumed).
 * Resolves true when the agent was killed; false when the user cancelled, or the run ended while they were asked
 * (then nothing is done: holding would pause a task that nothing runs). Throws what the op throws.
 */
export function useKillAgent(): (agent: Agent, taskTitle: string) => Promise<boolean> {
  const client = useClient();
  const confirm = useConfirm();
  const store = useGraphStore();
  return useCallback(
    async (agent, taskTitle) => {
      const answer = await confirm({
        title: `Stop ${agent.id}?`,
        body: <StopBody agentId={agent.id} taskTitle={taskTitle} />,
        confirmLabel: 'Stop',
        danger: true,
        choices: [
          { value: 'hold', label: 'Stop and hold', detail: 'The task is paused: nothing starts it again until you resume it.' },
          {
            value: 'requeue',
            label: 'Stop and requeue',
            detail: 'The task goes back to the queue: the coordinator starts it again with a fresh run.',
          },
        ],
      });
      if (!answer) return false;
      const now = store.getState().agents.get(agent.id);
      if (now && !isAlive(now)) return false;
      await client['agent:kill']({ id: agent.id, hold: answer.choice === 'hold' });
      return true;
    },
    [client, confirm, store],
  );
}

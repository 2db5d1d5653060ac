import { useCallback } from 'react';
import type { Agent } from '../../shared/agent';
import { useClient } from '../api/backend-context';
import { useConfirm } from '../components/confirm';

/**
 * Kill, asked first, with the two outcomes spelled out: stop and requeue (the coordinator starts
 * the task again soon, as a fresh run) or stop and hold (the task is paused until resumed).
 * Resolves true when the agent was killed; false when the user cancelled. Throws what the op throws.
 */
export function useKillAgent(): (agent: Agent, taskTitle: string) => Promise<boolean> {
  const client = useClient();
  const confirm = useConfirm();
  return useCallback(
    async (agent, taskTitle) => {
      const answer = await confirm({
        title: `Stop ${agent.id}?`,
        body: <p>It is working on “{taskTitle}”. Its process and everything it started are ended now; work it has not saved is lost.</p>,
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
      await client['agent:kill']({ id: agent.id, hold: answer.choice === 'hold' });
      return true;
    },
    [client, confirm],
  );
}

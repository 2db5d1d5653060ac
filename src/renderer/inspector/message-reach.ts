import { isAlive, type Agent } from '../../shared/agent';
import type { ExecutorType } from '../../shared/config-types';

/**
 * How a message to a task reaches whoever works on it, said as it is for that run: a Claude Code run
 * started here has it handed over by its hooks after its next tool call, a codex run at its model's
 * next request, even while a command runs (its holder steers it into the turn as it is sent: codex's
 * `turn/steer`); any other run (a shell command, an HTTP agent service, an agent
 * daemon, an agent run without hooks) gets it only when it runs `wg log` or `wg msg read` itself,
 * and its state moves then. With no run, an agent's next run has it in its prompt; a shell command
 * has no prompt.
 */
export type MessageReach =
  | { kind: 'hooks'; after: 'tool-call' | 'request' }
  | { kind: 'when-it-asks'; running: boolean }
  | { kind: 'next-prompt' }
  | { kind: 'none-yet' };

/**
 * `agent`: the run working on the task now, if any, and `runType` the type of its executor; `executor`: the type of
 * executor its next run would use.
 */
export function messageReach(
  agent: Pick<Agent, 'state' | 'message_hooks'> | null,
  executor: ExecutorType | null,
  runType: ExecutorType | null = null,
): MessageReach {
  if (agent && isAlive(agent))
    return agent.message_hooks
      ? { kind: 'hooks', after: runType === 'codex' ? 'request' : 'tool-call' }
      : { kind: 'when-it-asks', running: true };
  if (executor === 'shell') return { kind: 'when-it-asks', running: false };
  if (executor === 'manual') return { kind: 'none-yet' };
  return { kind: 'next-prompt' };
}

import type { Agent } from '../../shared/agent';

/**
 * A run of no model (a shell command, most http services) that reported no cost and no tokens: the window shows
 * nothing for its spend rather than "$0.00 0 tok" and "default model".
 */
export function spentNothing(agent: Pick<Agent, 'model' | 'cost_usd' | 'tokens_in' | 'tokens_out'>): boolean {
  return agent.model === null && !agent.cost_usd && agent.tokens_in + agent.tokens_out === 0;
}

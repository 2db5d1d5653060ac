import type { OpInput } from '../../shared/ops/registry';

export const AGENT_FILTERS = ['all', 'alive', 'working', 'dead'] as const;
export type AgentFilter = (typeof AGENT_FILTERS)[number];

/** The filter as `agent:list` input, so "alive" and "dead" mean what the store says they mean. */
export function agentListInput(filter: AgentFilter): OpInput<'agent:list'> {
  switch (filter) {
    case 'all':
      return {};
    case 'alive':
      return { alive: true };
    case 'working':
      return { working: true };
    case 'dead':
      return { dead: true };
  }
}

export const isAgentFilter = (value: string): value is AgentFilter => (AGENT_FILTERS as readonly string[]).includes(value);

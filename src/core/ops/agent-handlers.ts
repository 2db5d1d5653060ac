import { killAgents } from '../runs/killing/kill-agents';
import { deadAgents, listAgents } from '../runs/killing/dead-agents';
import { runEvents } from '../peers/run-output';
import type { Handlers } from './context';

export const agentHandlers: Handlers<'agent:list' | 'agent:kill' | 'agent:dead' | 'run:events'> = {
  'agent:list': (filter, { store, paths }) => listAgents(store, paths, filter),
  'agent:kill': (target, { store, paths, actor }) => killAgents(store, paths, target, actor),
  'agent:dead': (options, { store, paths, actor }) => deadAgents(store, paths, options, actor),
  'run:events': ({ agent, offset, limit }, { store, paths }) => runEvents(store, paths, agent, offset ?? 0, limit ?? 200),
};

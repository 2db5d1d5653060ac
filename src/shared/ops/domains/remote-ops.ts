import { z } from 'zod';
import { op } from '../define';
import type { AgentTokenInfo, CreatedAgentToken, RemoteStatus } from '../../remote-types';
import { name, repoName, roleName } from '../schemas';

/** Operations: agent daemons (their tokens, and what the coordinator sees of them). */
export const remoteOps = {
  'token:create': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Create an agent token for wg agentd (printed once; only its hash is kept)',
    input: () =>
      z.object({
        name: name(),
        roles: z.array(roleName()).optional().describe('roles it may claim, comma separated (default: any)'),
        repos: z.array(repoName()).optional().describe('repositories it may work in, comma separated (default: any)'),
      }),
    cli: { command: 'token create', args: ['name'] },
  }).returns<CreatedAgentToken>(),
  'token:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'Agent tokens (names, last four characters, scope)',
    input: () => z.object({}),
    cli: { command: 'token list' },
  }).returns<AgentTokenInfo[]>(),
  'token:revoke': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Revoke an agent token; its daemons are disconnected at once',
    input: () => z.object({ name: name() }),
    cli: { command: 'token revoke', args: ['name'] },
  }).returns<AgentTokenInfo>(),
  'remote:status': op({
    kind: 'query',
    scope: 'service',
    summary: 'Connected agent daemons, their jobs, and tasks waiting for one',
    input: () => z.object({}),
    cli: { command: 'agentd status' },
  }).returns<RemoteStatus>(),
};

import { z } from 'zod';
import { op } from '../define';
import type { AgentTokenInfo, CreatedAgentToken, AgentDaemonsStatus } from '../../agent-daemon-types';
import { name, repoName, roleName } from '../schemas';

/**
 * The names this app itself acts under in a task's log and messages: a person's token acts as its name, so a person
 * named one of these would read as the coordinator, an agent or a person at the coordinator's own machine.
 */
const SYSTEM_ACTORS = /^(agent-.*|coordinator.*|scheduler|user|api|app|system)$/i;

/** Operations: tokens (agent daemons' and people's), and what the coordinator sees of agent daemons. */
export const tokenOps = {
  'token:create': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Create an agent token for wg agentd, or a person's with --person (printed once; only its hash is kept)",
    input: () =>
      z
        .object({
          name: name(),
          // An empty list is refused, not read as "any": a restriction that names nothing would give every role.
          roles: z
            .array(roleName())
            .min(1, 'roles names no role: give at least one, or leave it out for any')
            .optional()
            .describe('roles it may claim, comma separated (default: any)'),
          repos: z
            .array(repoName())
            .min(1, 'repos names no repository: give at least one, or leave it out for any')
            .optional()
            .describe('repositories it may work in, comma separated (default: any)'),
          person: z
            .boolean()
            .optional()
            .describe("a person's token: reaches the coordinator's API as NAME (WG_SERVER, the window's Connect)"),
          admin: z.boolean().optional().describe("a person's token that may also manage tokens and change the coordinator's settings"),
        })
        .superRefine((input, context) => {
          if (!(input.person || input.admin) || !SYSTEM_ACTORS.test(input.name)) return;
          const whose = input.name.toLowerCase().startsWith('agent-') ? 'agents' : 'the app itself';
          context.addIssue({
            code: 'custom',
            path: ['name'],
            message: `a person's token cannot be named '${input.name}': the task log and messages use that name for ${whose}; give the person's own name`,
          });
        }),
    cli: { command: 'token create', args: ['name'] },
  }).returns<CreatedAgentToken>(),
  'token:list': op({
    kind: 'query',
    scope: 'store',
    summary: "Tokens, agent daemons' and people's (names, last four characters, scope)",
    input: () => z.object({}),
    cli: { command: 'token list' },
  }).returns<AgentTokenInfo[]>(),
  'token:revoke': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Revoke a token: its agent daemons are disconnected, a person's next request is refused; its name may then be issued again",
    input: () => z.object({ name: name() }),
    cli: { command: 'token revoke', args: ['name'] },
  }).returns<AgentTokenInfo>(),
  'agentd:status': op({
    kind: 'query',
    scope: 'service',
    summary: 'Connected agent daemons, their jobs, and tasks waiting for one',
    input: () => z.object({}),
    cli: { command: 'agentd status' },
  }).returns<AgentDaemonsStatus>(),
};

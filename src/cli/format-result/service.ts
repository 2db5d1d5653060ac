import type { AgentTokenInfo, CreatedAgentToken } from '../../shared/agent-daemon-types';
import { agentdStatusText } from '../agentd-status-format';
import { formatStatus } from '../service-format';
import { table } from '../table';
import type { Formatters } from './formatters';

/** The coordinator and who may reach it: its status and state changes, agent daemons, and the team's tokens. */

export const serviceFormatters: Formatters = {
  'agentd:status': agentdStatusText,
  'service:status': formatStatus,
  // Upstream's one line each; `wg service status` shows the rest.
  'service:pause': () => 'Coordinator paused (running agents continue, no new spawns)',
  'service:resume': () => 'Coordinator resumed',
  'service:reload': (s) =>
    `Configuration updated (max agents ${s.max_agents}${s.paused ? ', paused' : ''}; wg service status shows the rest)`,
  'token:create': createdToken,
  'token:list': (tokens) => (tokens.length === 0 ? '(no tokens)' : table(tokens.map(tokenLine))),
  'token:revoke': revokedToken,
};

function tokenLine(t: AgentTokenInfo): string[] {
  const scope =
    t.kind === 'agent'
      ? [t.roles.length ? `roles ${t.roles.join(',')}` : 'any role', t.repos.length ? `repos ${t.repos.join(',')}` : 'any repository'].join(
          ', ',
        )
      : t.kind === 'admin'
        ? 'person, admin'
        : 'person';
  return [
    t.name,
    `…${t.last4}`,
    scope,
    t.revoked_at ? `revoked ${t.revoked_at}` : t.last_used_at ? `last used ${t.last_used_at}` : 'never used',
  ];
}

function createdToken(t: CreatedAgentToken): string {
  if (t.kind !== 'agent') {
    return [
      `${t.kind === 'admin' ? "an admin's" : "a person's"} token for ${t.name}:`,
      t.token,
      `it is shown only this once: give it to ${t.name}, who sets WG_TOKEN to it (with WG_SERVER) or pastes it into the window's Connect`,
    ].join('\n');
  }
  return [
    `agent token ${t.name} (${tokenLine(t)[2]}):`,
    t.token,
    'it is shown only this once: give it to wg agentd as WG_AGENT_TOKEN',
  ].join('\n');
}

function revokedToken(t: AgentTokenInfo): string {
  const at = t.revoked_at ? ` at ${t.revoked_at}` : '';
  return t.kind === 'agent'
    ? `agent token ${t.name} (…${t.last4}) revoked${at}; its daemons are disconnected`
    : `${t.name}'s token (…${t.last4}) revoked${at}; it opens nothing from now on`;
}

import type { RegisteredMessage } from '../shared/agent-protocol';

type OutsideToken = NonNullable<RegisteredMessage['outside_token']>;

const named = (one: string, many: string, items: readonly string[]) => `${items.length === 1 ? one : many} ${items.join(', ')}`;

/** The line a daemon says when its token does not allow some of what it offers: what, and what the token allows. */
export function outsideTokenLine(outside: OutsideToken): string {
  const offered = [
    ...(outside.repos.length > 0 ? [named('repo', 'repos', outside.repos)] : []),
    ...(outside.roles.length > 0 ? [named('role', 'roles', outside.roles)] : []),
  ].join(', ');
  const allows = [
    outside.allowed_repos.length > 0 ? named('repo', 'repos', outside.allowed_repos) : 'any repo',
    outside.allowed_roles.length > 0 ? named('role', 'roles', outside.allowed_roles) : 'any role',
  ].join('; ');
  return `agent token '${outside.token}' does not allow ${offered} offered here: no job for them comes to this daemon (it allows ${allows})`;
}

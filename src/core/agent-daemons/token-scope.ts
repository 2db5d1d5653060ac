import type { AgentTokenInfo } from '../../shared/agent-daemon-types';

/** What a daemon offers that its token does not allow, and what the token allows (empty: anything). */
export interface OutsideToken {
  /** The token's name. */
  token: string;
  repos: string[];
  roles: string[];
  allowed_repos: string[];
  allowed_roles: string[];
}

const allowed = (scope: readonly string[], value: string) => scope.length === 0 || scope.includes(value);

/**
 * The repositories and roles a daemon registers that its token does not allow, or null when it allows them all. No
 * job for them is ever sent to it (matching.ts), so it is told at connect rather than left to idle without a word.
 */
export function outsideToken(token: AgentTokenInfo, offered: { repos: readonly string[]; roles: readonly string[] }): OutsideToken | null {
  const repos = offered.repos.filter((repo) => !allowed(token.repos, repo));
  const roles = offered.roles.filter((role) => !allowed(token.roles, role));
  if (repos.length === 0 && roles.length === 0) return null;
  return { token: token.name, repos, roles, allowed_repos: token.repos, allowed_roles: token.roles };
}

/**
 * Why a daemon is refused: its token allows none of the repositories it offers, so it could never be given a job. One
 * whose roles alone are not allowed still takes the tasks of its allowed repositories that name no role.
 */
export function scopeRefusal(token: AgentTokenInfo, offeredRepos: readonly string[], outside: OutsideToken | null): string | null {
  if (!outside || offeredRepos.length === 0 || outside.repos.length < offeredRepos.length) return null;
  return `agent token '${token.name}' allows none of the repositories this daemon offers (${offeredRepos.join(', ')}); it allows ${token.repos.join(', ')}: offer one of those in REPO_PATHS, or use a token made for these (wg token create NAME --repos ${offeredRepos.join(',')})`;
}

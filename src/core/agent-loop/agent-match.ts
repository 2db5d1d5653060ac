import type { AgentMatch, TrustLevel } from '../../shared/coordination';
import type { AgentIdentity } from '../../shared/agency';

/** Upstream's trust level from what an import kept (`verified`, `Verified`, …); provisional, its default, otherwise. */
export function trustLevelOf(kept: unknown): TrustLevel {
  const level = typeof kept === 'string' ? kept.toLowerCase() : '';
  return level === 'verified' || level === 'unknown' ? level : 'provisional';
}

/**
 * `wg match TASK` (upstream's match_cmd, pure): each agent identity weighed against the task's skills, one point a
 * matched skill and one more for a verified agent; best first, then the available ones (no task of theirs in
 * progress) first, else in the order given. Where the task asks for skills, only agents with a point are kept.
 * Skills are listed in the task's order (upstream's come out of a hash set, in no order), each once.
 */
export function matchAgents(
  skills: readonly string[],
  agents: ReadonlyArray<{ identity: AgentIdentity; trust: TrustLevel; busy: boolean }>,
): AgentMatch[] {
  const required = [...new Set(skills)];
  const matches = agents.map(({ identity, trust, busy }) => {
    const has = new Set(identity.capabilities);
    const matched = required.filter((s) => has.has(s));
    return {
      agent_id: identity.id,
      agent_name: identity.name,
      score: matched.length + (trust === 'verified' ? 1 : 0),
      matched_skills: matched,
      missing_skills: required.filter((s) => !has.has(s)),
      trust_level: trust,
      available: !busy,
    };
  });
  matches.sort((a, b) => b.score - a.score || Number(b.available) - Number(a.available));
  return required.length === 0 ? matches : matches.filter((m) => m.score > 0);
}

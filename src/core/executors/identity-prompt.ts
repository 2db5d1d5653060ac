import type { AgentIdentity, DesiredOutcome, Role, Tradeoff } from '../../shared/agency';
import type { Store } from '../store/store';

/** An identity with the role and tradeoff it is made of (and the role's outcome, when stored). */
export interface ResolvedIdentity {
  identity: AgentIdentity;
  role: Role | undefined;
  tradeoff: Tradeoff | undefined;
  outcome: DesiredOutcome | undefined;
}

/** The identity a task carries, resolved; null when it has none (or it was removed since). */
export async function resolveIdentity(store: Store, agentId: string | null): Promise<ResolvedIdentity | null> {
  if (!agentId) return null;
  const identity = await store.agency.identity(agentId);
  if (!identity) return null;
  const role = (await store.agency.roles()).find((r) => r.id === identity.role_id);
  return {
    identity,
    role,
    tradeoff: (await store.agency.tradeoffs()).find((t) => t.id === identity.tradeoff_id),
    outcome: role ? (await store.agency.outcomes()).find((o) => o.id === role.outcome_id) : undefined,
  };
}

/**
 * The "Agent Identity" section of an agent's prompt, laid out as upstream's
 * render_identity_prompt_rich: the role and its skills, the desired outcome (with its success
 * criteria), then the tradeoffs as operational parameters.
 */
export function identitySection({ role, tradeoff, outcome }: ResolvedIdentity): string {
  const lines = ['## Agent Identity', ''];
  if (role) {
    lines.push(`### Role: ${role.name}`, role.description, '');
    if (role.skills.length > 0) {
      lines.push('#### Skills');
      for (const skill of role.skills) lines.push(skill.description ? `- **${skill.name}**: ${skill.description}` : `- ${skill.name}`);
      lines.push('');
    }
    lines.push('#### Desired Outcome');
    if (outcome) {
      lines.push(`**${outcome.name}**`, outcome.description, '');
      if (outcome.success_criteria.length > 0) lines.push('**Success Criteria:**', ...outcome.success_criteria.map((c) => `- ${c}`), '');
    } else {
      lines.push(role.outcome, '');
    }
  }
  if (tradeoff && (tradeoff.acceptable.length > 0 || tradeoff.unacceptable.length > 0)) {
    lines.push('### Operational Parameters');
    if (tradeoff.acceptable.length > 0) lines.push('#### Acceptable Trade-offs', ...tradeoff.acceptable.map((t) => `- ${t}`), '');
    if (tradeoff.unacceptable.length > 0) lines.push('#### Non-negotiable Constraints', ...tradeoff.unacceptable.map((t) => `- ${t}`), '');
  }
  lines.push('---');
  return lines.join('\n');
}

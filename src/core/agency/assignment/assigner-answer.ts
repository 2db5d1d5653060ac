import { z } from 'zod';
import type { AgentIdentity } from '../../../shared/agency';
import { extractJsonObject } from '../json-answer';
import { CONTEXT_SCOPES, EXEC_MODES } from './assigner-prompt';

const answer = z.object({
  agent_hash: z.string().trim().min(1),
  exec_mode: z.string().optional(),
  context_scope: z.string().optional(),
  reason: z.string().default(''),
});

export type AssignerAnswer =
  | { ok: true; identity: AgentIdentity; exec_mode: string; context_scope: string; reason: string }
  | { ok: false; why: string };

const oneOf = (allowed: readonly string[], value: string | undefined, fallback: string) =>
  value !== undefined && allowed.includes(value.trim().toLowerCase()) ? value.trim().toLowerCase() : fallback;

/**
 * Reads the assigner's answer: the agent it names must be one of those offered (by a unique hash
 * prefix, or by name); an unknown exec mode becomes `full` and an unknown context scope `task`, as
 * upstream's validate_exec_mode does.
 */
export function parseAssignerAnswer(text: string, offered: readonly AgentIdentity[]): AssignerAnswer {
  const json = extractJsonObject(text);
  if (!json) return { ok: false, why: 'the assigner answered no JSON' };
  const parsed = answer.safeParse(json);
  if (!parsed.success) return { ok: false, why: 'the assigner named no agent (agent_hash)' };
  const wanted = parsed.data.agent_hash.toLowerCase();
  const hits = offered.filter((a) => a.id.startsWith(wanted) || a.name.toLowerCase() === wanted);
  if (hits.length !== 1)
    return {
      ok: false,
      why: `the assigner named ${hits.length === 0 ? 'an agent not offered' : 'an ambiguous agent'} ('${parsed.data.agent_hash}')`,
    };
  return {
    ok: true,
    identity: hits[0] as AgentIdentity,
    exec_mode: oneOf(EXEC_MODES, parsed.data.exec_mode, 'full'),
    context_scope: oneOf(CONTEXT_SCOPES, parsed.data.context_scope, 'task'),
    reason: parsed.data.reason.trim() || '(no reason given)',
  };
}

import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

/**
 * Content hashes exactly as upstream workgraph computes them, so an identity
 * has the same id in both tools:
 * - a primitive (role component, desired outcome, tradeoff) is the SHA-256 of its description's bytes
 *   (Agency v1.2.4; upstream's fixture: "Working, tested code" → 34764379…);
 * - a role is the SHA-256 of `serde_yaml::to_string({component_ids: sorted, outcome_id})`;
 * - an agent is the SHA-256 of `serde_yaml::to_string({role_id, motivation_id})`.
 * Names and the other fields never take part, so renaming keeps the id.
 */

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * serde_yaml 0.9's block style: sequences not indented under their key, no line folding (its emitter
 * width is unlimited), single quotes for strings that would read as another type ('true', '123').
 */
const SERDE_YAML = { indentSeq: false, lineWidth: 0, singleQuote: true } as const;

export function descriptionHash(description: string): string {
  return sha256(description);
}

export function roleHash(componentIds: readonly string[], outcomeId: string): string {
  // Byte order, as Rust's sort of Strings.
  const sorted = [...componentIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(stringify({ component_ids: sorted, outcome_id: outcomeId }, SERDE_YAML));
}

/** Upstream still serializes the tradeoff id under its old name, `motivation_id`. */
export function identityHash(roleId: string, tradeoffId: string): string {
  return sha256(stringify({ role_id: roleId, motivation_id: tradeoffId }, SERDE_YAML));
}

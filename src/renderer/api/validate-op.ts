import type { z } from 'zod';
import { PLAIN } from '../../shared/ops/plain-errors';
import { ops, type OpInput, type OpName } from '../../shared/ops/registry';

export type Validation = { ok: true } | { ok: false; message: string; fields: Record<string, string> };

/**
 * Checks an op's input against its own schema in the registry before sending, so forms can point
 * at the wrong field. The daemon validates again; this only saves a round trip.
 */
export function validateOp<N extends OpName>(name: N, input: OpInput<N>): Validation {
  const schema: z.ZodType = ops[name].input;
  // The same plain sentences as the CLI and the API (each names its field).
  const result = schema.safeParse(input, PLAIN);
  if (result.success) return { ok: true };
  const fields: Record<string, string> = {};
  const lines: string[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'input';
    fields[field] ??= issue.message;
    lines.push(issue.message);
  }
  return { ok: false, message: lines.join('; '), fields };
}

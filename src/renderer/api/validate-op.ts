import type { z } from 'zod';
import { fieldLabel, PLAIN } from '../../shared/ops/plain-errors';
import { ops, type OpInput, type OpName } from '../../shared/ops/registry';

export type Validation = { ok: true } | { ok: false; fields: Record<string, string>; message: string | null };

/**
 * Checks an op's input against its own schema in the registry before sending, so forms can show
 * each problem once, next to its field, in the same plain sentences as the CLI and the API (less
 * the field's name, which the field's label already says). `message` is what belongs to no field.
 * The daemon validates again; this only saves a round trip.
 */
export function validateOp<N extends OpName>(name: N, input: OpInput<N>): Validation {
  const schema: z.ZodType = ops[name].input;
  const result = schema.safeParse(input, PLAIN);
  if (result.success) return { ok: true };
  const fields: Record<string, string> = {};
  const loose: string[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.map(String)[0];
    if (field === undefined) loose.push(issue.message);
    else fields[field] ??= withoutField(issue.message, fieldLabel(issue.path));
  }
  return { ok: false, fields, message: loose.length > 0 ? loose.join('; ') : null };
}

/** "max-agents must be a number" next to the Max agents field reads "must be a number". */
function withoutField(message: string, label: string): string {
  return message.startsWith(`${label} `) ? message.slice(label.length + 1) : message;
}

/**
 * A problem the form itself finds with one field (the op's schema cannot know it: an empty list to choose from, a
 * shell task with no command), added to the op's own check. It says more than the op's word on that field (an empty id
 * is "give an id, an id prefix or a name" to the op, where the form offered nothing to choose), so it takes its place.
 */
export function withFieldProblem(validation: Validation, field: string, problem: string | null): Validation {
  if (problem === null) return validation;
  return validation.ok
    ? { ok: false, fields: { [field]: problem }, message: null }
    : { ...validation, fields: { ...validation.fields, [field]: problem } };
}

import { z } from 'zod';
import { EVAL_DIMENSIONS } from '../../../shared/agency';
import { extractJsonObject } from '../json-answer';

const unit = z.number().min(0).max(1);

const answer = z.object({
  score: unit,
  dimensions: z.record(z.string(), z.unknown()).default({}),
  notes: z.string().default(''),
});

export type EvaluatorAnswer = { ok: true; score: number; dimensions: Record<string, number>; notes: string } | { ok: false; why: string };

/**
 * Reads an evaluator's answer. A score between 0 and 1 is required; dimensions outside 0..1 or not
 * numbers are dropped (their names kept as given, snake_case as seed 004's), anything else is "no
 * usable JSON" — which the gate never takes for a pass.
 */
export function parseEvaluatorAnswer(text: string): EvaluatorAnswer {
  const json = extractJsonObject(text);
  if (!json) return { ok: false, why: `the evaluator answered no JSON: ${JSON.stringify(text.trim().slice(0, 120))}` };
  const parsed = answer.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, why: `the evaluator's JSON has no usable ${issue?.path.join('.') || 'score'} (${issue?.message ?? 'invalid'})` };
  }
  const dimensions: Record<string, number> = {};
  for (const [name, value] of Object.entries(parsed.data.dimensions)) {
    const key = name
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (typeof value === 'number' && unit.safeParse(value).success) dimensions[key] = value;
  }
  return { ok: true, score: parsed.data.score, dimensions, notes: parsed.data.notes.trim() };
}

/** The dimensions an answer left out (reported in the log; the score still counts). */
export const missingDimensions = (dimensions: Record<string, number>) => EVAL_DIMENSIONS.filter((d) => !(d in dimensions));

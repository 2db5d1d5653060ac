import { describe, expect, it } from 'vitest';
import { parseEvaluatorAnswer } from '../../src/core/agency/evaluation/evaluator-answer';
import { extractJsonObject } from '../../src/core/agency/json-answer';

/*
 * Upstream's contract tests for reading a model's answer (graphwork/workgraph tests/contract_tests.rs), each
 * named in its `it`. Upstream tests its library parsers directly (extract_json, and serde into evaluate.rs's
 * EvalOutput); no command line hands them a text, so these cases run this app's same two readers:
 * extractJsonObject (the JSON in an answer) and parseEvaluatorAnswer (an evaluator's score, dimensions and
 * notes). The fixtures are upstream's tests/fixtures/eval_response_*.
 *
 * Not ported:
 * - upstream's evolver answer (`wg evolve`'s EvolverOutput and its operations; docs/upstream.md: the evolver
 *   agent is not here): evolver_output_mutation_fixture, evolver_output_multi_operations_fixture,
 *   evolver_output_all_operation_types, evolver_operation_create_role_fields,
 *   evolver_operation_component_substitution_fields, evolver_operation_bizarre_ideation_fields,
 *   evolver_operation_random_compose_fields, evolver_operation_legacy_skills_alias,
 *   evolver_operation_legacy_desired_outcome_alias, evolver_output_empty_operations,
 *   evolver_output_missing_operations_fails, evolver_output_missing_op_field_fails,
 *   pipeline_extract_and_parse_evolver_output.
 */

/** tests/fixtures/eval_response_with_preamble.txt */
const WITH_PREAMBLE =
  "Based on my analysis of the task artifacts and log entries, I've assessed the agent's work across the four dimensions. Here is my structured evaluation:\n\n" +
  '{"score": 0.78, "dimensions": {"correctness": 0.85, "completeness": 0.7, "efficiency": 0.8, "style_adherence": 0.75}, "notes": "Solid implementation with room for improvement in completeness."}\n\n' +
  'That concludes my evaluation.';

/** tests/fixtures/eval_response_with_fences.txt */
const WITH_FENCES =
  'Here is my evaluation of the task:\n\n```json\n{\n  "score": 0.82,\n  "dimensions": {\n    "correctness": 0.9,\n    "completeness": 0.75,\n' +
  '    "efficiency": 0.8,\n    "style_adherence": 0.85\n  },\n  "notes": "Good implementation but missing some edge case handling."\n}\n```\n\nI hope this evaluation is helpful.';

const dims = (value: number) =>
  `{\n    "correctness": ${value},\n    "completeness": ${value},\n    "efficiency": ${value},\n    "style_adherence": ${value}\n  }`;
/** tests/fixtures/eval_response_valid.json */
const VALID =
  '{\n  "score": 0.85,\n  "dimensions": {\n    "correctness": 0.9,\n    "completeness": 0.8,\n    "efficiency": 0.85,\n    "style_adherence": 0.82\n  },\n' +
  '  "notes": "Well implemented with good test coverage. Minor efficiency improvements possible."\n}\n';
/** tests/fixtures/eval_response_minimal.json */
const MINIMAL = '{\n  "score": 0.75\n}\n';
/** tests/fixtures/eval_response_edge_zero.json */
const EDGE_ZERO = `{\n  "score": 0.0,\n  "dimensions": ${dims(0.0)},\n  "notes": "Task was not completed at all."\n}\n`;
/** tests/fixtures/eval_response_edge_perfect.json */
const EDGE_PERFECT = `{\n  "score": 1.0,\n  "dimensions": ${dims(1.0)},\n  "notes": "Perfect implementation."\n}\n`;

/** An answer upstream reads, else a failure with the reason. */
function evaluated(text: string) {
  const answer = parseEvaluatorAnswer(text);
  if (!answer.ok) throw new Error(answer.why);
  return answer;
}

describe('extract_json: the JSON in a model’s answer', () => {
  it('extract_json_plain_object / extract_json_with_whitespace / extract_json_nested_braces', () => {
    expect(extractJsonObject('{"score": 0.85, "notes": "Good work"}')?.score).toBe(0.85);
    expect(extractJsonObject('   \n  {"score": 0.7}  \n   ')).toEqual({ score: 0.7 });
    expect(extractJsonObject('{"outer": {"inner": 42}, "key": "value"}')).toEqual({ outer: { inner: 42 }, key: 'value' });
  });

  it('extract_json_markdown_fences / extract_json_markdown_fences_no_lang', () => {
    expect(extractJsonObject('```json\n{"score": 0.9, "notes": "great"}\n```')?.score).toBe(0.9);
    expect(extractJsonObject('```\n{"score": 0.6}\n```')).toEqual({ score: 0.6 });
  });

  it('extract_json_with_preamble_text / extract_json_with_markdown_fences_and_commentary', () => {
    expect(evaluated(WITH_PREAMBLE).score).toBe(0.78);
    const fenced = evaluated(WITH_FENCES);
    expect(fenced.score).toBe(0.82);
    expect(Object.keys(fenced.dimensions)).toHaveLength(4);
  });

  it('extract_json_returns_none_for_no_json / extract_json_returns_none_for_empty_string / extract_json_returns_none_for_malformed_json', () => {
    expect(extractJsonObject('no json here at all')).toBeNull();
    expect(extractJsonObject('')).toBeNull();
    expect(extractJsonObject('{score: 0.5, incomplete')).toBeNull();
    expect(parseEvaluatorAnswer('no json here at all').ok).toBe(false);
  });
});

describe('EvalOutput: an evaluator’s answer', () => {
  it('eval_output_valid_fixture', () => {
    const answer = evaluated(VALID);
    expect(answer.score).toBe(0.85);
    expect(answer.dimensions).toEqual({ correctness: 0.9, completeness: 0.8, efficiency: 0.85, style_adherence: 0.82 });
    expect(answer.notes).toContain('test coverage');
  });

  it('eval_output_minimal_fixture', () => {
    expect(evaluated(MINIMAL)).toEqual({ ok: true, score: 0.75, dimensions: {}, notes: '' });
  });

  it('eval_output_score_zero / eval_output_score_perfect', () => {
    const zero = evaluated(EDGE_ZERO);
    expect(zero.score).toBe(0);
    expect(Object.values(zero.dimensions)).toEqual([0, 0, 0, 0]);
    const perfect = evaluated(EDGE_PERFECT);
    expect(perfect.score).toBe(1);
    expect(Object.values(perfect.dimensions)).toEqual([1, 1, 1, 1]);
  });

  it('eval_output_extra_fields_ignored / eval_output_extra_dimensions_accepted', () => {
    expect(evaluated('{"score": 0.8, "dimensions": {}, "notes": "ok", "extra_field": "ignored", "another": 42}')).toEqual({
      ok: true,
      score: 0.8,
      dimensions: {},
      notes: 'ok',
    });
    const extra = evaluated('{"score": 0.8, "dimensions": {"correctness": 0.9, "creativity": 0.7, "custom_dim": 0.5}}');
    expect(Object.keys(extra.dimensions)).toHaveLength(3);
    expect(extra.dimensions).toHaveProperty('creativity', 0.7);
  });

  it('eval_output_missing_score_fails / eval_output_wrong_score_type_fails / eval_output_null_dimensions_uses_default', () => {
    expect(parseEvaluatorAnswer('{"dimensions": {"correctness": 0.9}, "notes": "no score"}').ok).toBe(false);
    expect(parseEvaluatorAnswer('{"score": "high", "notes": "score is a string"}').ok).toBe(false);
    // A default stands in for a field left out, not for one given as null: upstream refuses the answer.
    expect(parseEvaluatorAnswer('{"score": 0.5, "dimensions": null}').ok).toBe(false);
  });

  it('pipeline_extract_and_parse_eval_from_fenced / pipeline_extract_and_parse_eval_from_preamble', () => {
    const fenced = evaluated(WITH_FENCES);
    expect(fenced.score).toBeGreaterThanOrEqual(0);
    expect(fenced.score).toBeLessThanOrEqual(1);
    expect(Object.keys(fenced.dimensions).length).toBeGreaterThan(0);
    const preamble = evaluated(WITH_PREAMBLE);
    expect(preamble.score).toBeGreaterThanOrEqual(0);
    expect(preamble.score).toBeLessThanOrEqual(1);
  });
});

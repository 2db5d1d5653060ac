import { describe, expect, it } from 'vitest';
import type { AgentIdentity } from '../../src/shared/agency';
import { parseAssignerAnswer } from '../../src/core/agency/assignment/assigner-answer';
import { missingDimensions, parseEvaluatorAnswer } from '../../src/core/agency/evaluation/evaluator-answer';

/** Upstream's tests/fixtures/eval_response_with_fences.txt and eval_response_with_preamble.txt. */
const WITH_FENCES =
  'Here is my evaluation of the task:\n\n```json\n{\n  "score": 0.82,\n  "dimensions": {\n    "correctness": 0.9,\n    "completeness": 0.75,\n    "efficiency": 0.8,\n    "style_adherence": 0.85\n  },\n  "notes": "Good implementation but missing some edge case handling."\n}\n```\n\nI hope this evaluation is helpful.';
const WITH_PREAMBLE =
  'Based on my analysis of the task artifacts and log entries, I\'ve assessed the agent\'s work across the four dimensions. Here is my structured evaluation:\n\n{"score": 0.78, "dimensions": {"correctness": 0.85, "completeness": 0.7, "efficiency": 0.8, "style_adherence": 0.75}, "notes": "Solid implementation with room for improvement in completeness."}\n\nThat concludes my evaluation.';

describe("the evaluator's answer", () => {
  it("reads upstream's fixtures: fenced, with a preamble, minimal, at the edges", () => {
    expect(parseEvaluatorAnswer(WITH_FENCES)).toMatchObject({ ok: true, score: 0.82, dimensions: { completeness: 0.75 } });
    expect(parseEvaluatorAnswer(WITH_PREAMBLE)).toMatchObject({
      ok: true,
      score: 0.78,
      notes: 'Solid implementation with room for improvement in completeness.',
    });
    expect(parseEvaluatorAnswer('{\n  "score": 0.75\n}')).toEqual({ ok: true, score: 0.75, dimensions: {}, notes: '' });
    expect(parseEvaluatorAnswer('{"score": 0.0, "notes": "Task was not completed at all."}')).toMatchObject({ ok: true, score: 0 });
    expect(parseEvaluatorAnswer('{"score": 1.0}')).toMatchObject({ ok: true, score: 1 });
  });

  it('keeps the dimensions seed 004 names and says which are missing', () => {
    const read = parseEvaluatorAnswer(
      '{"score":0.93,"dimensions":{"Blocking Impact":0.9,"intent-fidelity":0.88,"correctness":"high","efficiency":1.7},"notes":"ok"}',
    );
    expect(read).toMatchObject({ ok: true, dimensions: { blocking_impact: 0.9, intent_fidelity: 0.88 } });
    if (read.ok)
      expect(missingDimensions(read.dimensions)).toEqual([
        'completeness',
        'coordination_overhead',
        'correctness',
        'downstream_usability',
        'efficiency',
        'style_adherence',
      ]);
  });

  it('never reads a pass into garbage: no JSON, no score, a score out of range', () => {
    expect(parseEvaluatorAnswer('Looks great to me!')).toMatchObject({
      ok: false,
      why: expect.stringMatching(/^the evaluator answered no JSON/),
    });
    expect(parseEvaluatorAnswer('{"verdict": "pass"}')).toMatchObject({ ok: false, why: expect.stringMatching(/no usable score/) });
    expect(parseEvaluatorAnswer('{"score": 93}')).toMatchObject({ ok: false });
    expect(parseEvaluatorAnswer('{"score": "0.9"}')).toMatchObject({ ok: false });
  });
});

describe("the assigner's answer", () => {
  const agent = (id: string, name: string): AgentIdentity => ({
    id,
    name,
    role_id: 'r',
    tradeoff_id: 't',
    executor: 'claude',
    model: null,
    provider: null,
    capabilities: [],
    created_at: 'now',
  });
  const offered = [agent('02e879681e52', 'Careful Programmer'), agent('02ffaa', 'Fast Programmer'), agent('9abc', 'Documenter')];

  it("names an offered agent by hash prefix (or name) with seed 004's fields", () => {
    expect(parseAssignerAnswer('{"agent_hash":"02e87968","exec_mode":"light","context_scope":"task","reason":"fits"}', offered)).toEqual({
      ok: true,
      identity: offered[0],
      exec_mode: 'light',
      context_scope: 'task',
      reason: 'fits',
    });
    expect(parseAssignerAnswer('```json\n{"agent_hash":"Documenter","exec_mode":"turbo"}\n```', offered)).toMatchObject({
      ok: true,
      identity: offered[2],
      exec_mode: 'full',
      context_scope: 'task',
      reason: '(no reason given)',
    });
  });

  it('refuses an agent not offered, an ambiguous prefix, or no JSON', () => {
    expect(parseAssignerAnswer('{"agent_hash":"ffff"}', offered)).toEqual({
      ok: false,
      why: "the assigner named an agent not offered ('ffff')",
    });
    expect(parseAssignerAnswer('{"agent_hash":"02"}', offered)).toEqual({ ok: false, why: "the assigner named an ambiguous agent ('02')" });
    expect(parseAssignerAnswer('Careful Programmer', offered)).toEqual({ ok: false, why: 'the assigner answered no JSON' });
  });
});

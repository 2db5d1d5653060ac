import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEvaluatorAnswer } from '../../src/core/agency/evaluation/evaluator-answer';
import { extractJsonObject } from '../../src/core/agency/json-answer';
import { buildPrompt } from '../../src/core/executors/prompt';
import { Store } from '../../src/core/store/store';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg evaluate` and the evaluation gate against upstream's own cases (graphwork/workgraph src/commands/evaluate.rs
 * `mod tests`), each named in its `it`; `record` and `show` are in test/store/upstream-flags.test.ts, the
 * evaluator's answers at their edges in test/agency/answers.test.ts, a real evaluator run in
 * test/coordinator/evaluate-run.process.test.ts. The evaluator's answer is read by parseEvaluatorAnswer (upstream's
 * extract_json and EvalOutput), called here as the coordinator calls it.
 *
 * not ported:
 * - flip_score_injected_as_intent_fidelity, no_intent_fidelity_when_flip_score_none: FLIP is not built (README).
 * - truncation_respects_char_boundaries: Rust's byte slicing of UTF-8; strings here are cut by character.
 * - test_llm_verify_pass, test_llm_verify_fail, test_llm_verify_uncertain,
 *   test_llm_verify_fail_closed_policy_rejects_uncertain, test_gate_decision_from_evaluation_score_bands,
 *   test_gate_skips_non_pending_task: upstream's LLM verification gate (a pass/fail/uncertain verdict with a
 *   confidence, `gate_confidence_threshold`, `gate_uncertain_policy`) is not built; a task kept with
 *   `validation = "llm"` waits in pending-validation for `wg approve` or `wg reject`.
 * - test_worktree_preserved_across_eval_iteration: the rescued attempt working on in its own worktree, with the
 *   first attempt's commit, is test/worktrees/claude-rescue-evidence.process.test.ts (a real run's worktree).
 */

describe("the evaluator's answer (upstream evaluate.rs extract_json, EvalOutput)", () => {
  it('extract_json_plain / extract_json_with_fences / extract_json_with_surrounding_text / extract_json_returns_none_for_garbage', () => {
    expect(extractJsonObject('{"score": 0.85, "dimensions": {}, "notes": "Good work"}')).toMatchObject({ score: 0.85 });
    expect(extractJsonObject('```json\n{"score": 0.7, "dimensions": {}, "notes": "ok"}\n```')).toMatchObject({ score: 0.7 });
    expect(extractJsonObject('Here is my evaluation:\n{"score": 0.9, "notes": "great"}\nEnd.')).toMatchObject({ score: 0.9 });
    expect(extractJsonObject('no json here at all')).toBeNull();
    expect(parseEvaluatorAnswer('no json here at all').ok).toBe(false);
  });

  it('parse_eval_output_minimal / parse_eval_output_full', () => {
    expect(parseEvaluatorAnswer('{"score": 0.75}')).toEqual({ ok: true, score: 0.75, dimensions: {}, notes: '' });
    const full = parseEvaluatorAnswer(`{
      "score": 0.82,
      "dimensions": { "correctness": 0.9, "completeness": 0.8, "efficiency": 0.75, "style_adherence": 0.8 },
      "notes": "Well implemented but could be more efficient"
    }`);
    expect(full).toEqual({
      ok: true,
      score: 0.82,
      dimensions: { correctness: 0.9, completeness: 0.8, efficiency: 0.75, style_adherence: 0.8 },
      notes: 'Well implemented but could be more efficient',
    });
  });
});

let p: InProcessProject;
const show = (id: string) => p.json<Task>(['show', id]);
const pendingEval = (id: string, agent: string, rescueCount: number) => ({
  id,
  title: 'Test eval-gated task',
  status: 'pending-eval',
  agent,
  assigned: 'agent-1',
  tags: ['eval-gate'],
  rescue_count: rescueCount,
});

describe('the evaluation gate in place (upstream evaluate.rs check_eval_gate)', () => {
  beforeEach(async () => {
    p = new InProcessProject('wg-evaluate-');
    await p.ok(['init']);
    await p.ok(['config', '--eval-threshold', '0.7', '--max-eval-rescues', '3']);
  });
  afterEach(() => p.remove());

  it('test_eval_fail_retries_in_place_with_same_agent', async () => {
    const agent = '0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd';
    await p.importTasks([pendingEval('t1', agent, 0)]);
    await p.ok(['evaluate', 'record', 't1', '--score', '0.3', '--notes', 'missing tests; see notes']);
    const task = await show('t1');
    expect(task).toMatchObject({ status: 'open', agent, rescue_count: 1 });
    expect((await p.json<Task[]>(['list', '--all'])).map((t) => t.id)).toEqual(['t1']);
  });

  it('test_eval_fail_at_cap_transitions_to_failed', async () => {
    await p.importTasks([pendingEval('t1', 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef', 3)]);
    await p.ok(['evaluate', 'record', 't1', '--score', '0.2', '--notes', 'still broken at cap']);
    const task = await show('t1');
    expect(task.status).toBe('failed');
    expect(task.rescue_count).toBe(3);
    expect((await p.json<Task[]>(['list', '--all'])).map((t) => t.id)).toEqual(['t1']);
  });

  it("test_eval_feedback_in_next_spawn_context: the next run's prompt carries the evaluator's notes", async () => {
    const agent = 'feedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeedfeed';
    await p.importTasks([pendingEval('t1', agent, 0)]);
    await p.ok(['evaluate', 'record', 't1', '--score', '0.30', '--notes', 'EVALUATOR_NOTE_FOR_TEST: implementation skipped tests']);
    expect(await show('t1')).toMatchObject({ status: 'open', rescue_count: 1 });
    // The task as the coordinator reads it to start the next run.
    const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
    try {
      const prompt = buildPrompt({ task: await store.get('t1'), dependencies: [], wgPath: 'wg' });
      expect(prompt).toContain('EVALUATOR_NOTE_FOR_TEST: implementation skipped tests');
    } finally {
      await store.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rankCandidates, scoreTask } from '../../src/core/agent-loop/next-task';
import type { Task } from '../../src/shared/task';
import { tempStore } from '../helpers/temp-store';

/* Upstream's `wg next` scoring (src/commands/next.rs, mod tests, ported by name; the CLI's words in test/cli/loop-cli.test.ts). */

let temp: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => {
  temp = await tempStore();
});
afterEach(() => temp.dispose());

async function task(id: string, extra: Record<string, unknown> = {}): Promise<Task> {
  await temp.store.tasks.add({ id, title: id }, 'test');
  const t = await temp.store.get(id);
  return { ...t, extra: { ...t.extra, ...extra } } as Task;
}

const rustDev = { capabilities: ['rust', 'testing'], verified: false };

describe('wg next scoring', () => {
  // upstream: src/commands/next.rs test_next_with_matching_skills
  it('test_next_with_matching_skills: matched 10, all matched 20, inputs there 10', async () => {
    const c = scoreTask(await task('t1', { skills: ['rust'] }), rustDev, new Set());
    expect(c).toMatchObject({ score: 40, matched_skills: ['rust'], missing_skills: [], inputs_available: true });
  });

  // upstream: src/commands/next.rs test_next_no_matching_tasks
  it('test_next_no_matching_tasks: a task needing only skills it lacks is offered at 5, never recommended over a fit', async () => {
    const python = scoreTask(await task('t1', { skills: ['python'] }), { capabilities: ['rust'], verified: false }, new Set());
    expect(python).toMatchObject({ score: 5, missing_skills: ['python'] });
    const twoMissing = scoreTask(await task('t2', { skills: ['python', 'go'], inputs: ['x'] }), rustDev, new Set());
    expect(twoMissing.score).toBe(-10);
    expect(rankCandidates([twoMissing])).toEqual({ recommended: null, alternatives: [] });
  });

  // upstream: src/commands/next.rs test_next_prefers_full_skill_match
  it('test_next_prefers_full_skill_match', async () => {
    const partial = scoreTask(await task('t1', { skills: ['rust', 'python'] }), { capabilities: ['rust'], verified: false }, new Set());
    const full = scoreTask(await task('t2', { skills: ['rust'] }), { capabilities: ['rust'], verified: false }, new Set());
    const ranked = rankCandidates([partial, full]);
    expect(ranked.recommended?.id).toBe('t2');
    expect(ranked.alternatives.map((c) => c.id)).toEqual(['t1']);
  });

  // upstream: src/commands/next.rs test_next_json_output
  it("test_next_json_output: a skill-free task scores 5 and 10 for its inputs; upstream's candidate fields", async () => {
    const c = scoreTask(await task('t1', { estimate: { hours: 3 } }), { capabilities: [], verified: false }, new Set());
    expect(c).toEqual({
      id: 't1',
      title: 't1',
      score: 15,
      matched_skills: [],
      missing_skills: [],
      hours: 3,
      inputs_available: true,
    });
  });

  it("inputs not yet among the dependencies' artifacts, a verified agent, and at most four alternatives", async () => {
    expect(scoreTask(await task('a', { inputs: ['spec.md'] }), rustDev, new Set()).inputs_available).toBe(false);
    expect(scoreTask(await task('b', { inputs: ['spec.md'] }), rustDev, new Set(['spec.md'])).score).toBe(15);
    expect(scoreTask(await task('c'), { capabilities: [], verified: true }, new Set()).score).toBe(20);
    const many = await Promise.all(['d', 'e', 'f', 'g', 'h', 'i'].map(async (id) => scoreTask(await task(id), rustDev, new Set())));
    expect(rankCandidates(many).alternatives).toHaveLength(4);
  });
});

import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSED_LINE } from '../../src/core/agency/evaluation/gate-writes';
import { claudeProjectEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, taskOf, text, toolResultsOf, type FakeAnthropic, type RecordedRequest, type ScriptTurn } from '../fixtures/fake-anthropic';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { evaluatedTask, hasTools, scoreAnswer, startAgencyFake } from './agency-fake';
import { GIT_ENV, gitIn, initClaudeRepo } from './git-project';

/**
 * Worktrees (issue 14) and the evaluation gate (issue 15) together, end to end: the real daemon, the
 * REAL Claude Code CLI for the assigner, the agents and the evaluator, only the model scripted.
 *
 * - fix: its first attempt commits fix.txt ("one") and calls `wg done`; the evaluator scores 0.3. The
 *   retry runs in the same worktree, sees its first commit, adds "two" and calls `wg done`; 0.9 passes.
 * - after-fix depends on fix: it reads fix.txt in its own new worktree.
 * While fix is evaluated, main is exactly as it was: only the passing work is merged, as one commit.
 */
const NOTES = 'NOTES-4c1: fix.txt needs a second line';
let fake: FakeAnthropic;
let p: DaemonProject;
let initial = '';
/** main's tip and the prompt at each evaluation of fix. */
const fixEvaluations: Array<{ tip: string; prompt: string }> = [];

const git = (args: string[]) => gitIn(p.root, args);
const body = (r: RecordedRequest) => r.body as Record<string, unknown>;
const messagesOf = (b: Record<string, unknown>) => (b.messages ?? []) as Array<{ role?: string }>;

function evaluatorAnswer(prompt: string): ScriptTurn {
  if (evaluatedTask(prompt) !== 'fix') return scoreAnswer(0.9, 'good');
  fixEvaluations.push({ tip: git(['rev-parse', 'main']).trim(), prompt });
  return fixEvaluations.length === 1 ? scoreAnswer(0.3, NOTES) : scoreAnswer(0.9, 'good now');
}

/** The agents' one turn: what each attempt does in its worktree, then `wg done`. */
function agentTurn(request: Record<string, unknown>): ScriptTurn {
  const lastUser = JSON.stringify(
    messagesOf(request)
      .filter((m) => m.role === 'user')
      .at(-1) ?? null,
  );
  if (lastUser.includes('tool_result')) return [text('Done.')];
  const task = taskOf(request);
  const report = 'wg done $WG_TASK_ID';
  if (task === 'after-fix')
    return [bash(`pwd; cat fix.txt; echo ok > after.txt && git add after.txt && git commit -qm after && ${report}`)];
  if (JSON.stringify(request.messages).includes(NOTES)) {
    return [bash(`pwd; git log --format=%s; echo two >> fix.txt && git commit -qam "second attempt" && ${report}`)];
  }
  return [bash(`pwd; echo one > fix.txt && git add fix.txt && git commit -qm "first attempt" && ${report}`)];
}

beforeAll(async () => {
  fake = await startAgencyFake(agentTurn, evaluatorAnswer);
  const env: Record<string, string> = { ...GIT_ENV };
  p = new DaemonProject('wg-claude-eval-wt-', env, isolatedHostEnv());
  Object.assign(env, claudeProjectEnv(fake.url, join(p.root, '.home', 'claude')));
  initial = initClaudeRepo(p.root);
  await p.init();
  await p.ok(['agency', 'init']);
  await p.ok(['add', 'Write fix.txt', '--id', 'fix']);
  await p.ok(['add', 'Use fix.txt', '--id', 'after-fix', '--after', 'fix']);
  await p.start(['--model', 'haiku', '--max-agents', '2']);
  await waitFor(
    'after-fix to settle',
    async () => ['done', 'failed'].includes((await p.task('after-fix')).status) || (await p.task('fix')).status === 'failed',
    120_000,
  ).catch(async (error: unknown) => {
    for (const t of await p.tasks())
      console.log(
        t.id,
        t.status,
        t.log.map((l) => l.message),
      );
    throw error;
  });
}, 150_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

const taskRuns = async (id: string) => (await p.agentsOf(id)).filter((a) => a.purpose === 'task');
/** What the Bash tool printed for each run of the task, in order. */
const toolOutputs = (id: string) =>
  fake.requests.filter((r) => hasTools(body(r)) && taskOf(body(r)) === id).flatMap((r) => toolResultsOf(r).map((result) => result.content));

describe('worktrees under the evaluation gate, with the real Claude Code CLI', () => {
  it("leaves main unchanged while the work waits for its score and after a failing one; the evaluator reads the worktree's diff", async () => {
    expect(fixEvaluations).toHaveLength(2);
    expect(fixEvaluations.map((e) => e.tip)).toEqual([initial, initial]);
    // The first attempt's own commit, as a diff (no artifacts were named: the worktree is what counts).
    expect(fixEvaluations[0]?.prompt).toContain('fix.txt');
    expect(fixEvaluations[0]?.prompt).toContain('+one');
    expect(fixEvaluations[1]?.prompt).toContain('+two');
    const fix = await p.task('fix');
    expect(fix.log.map((l) => l.message).some((m) => m.startsWith('Eval rescue 1/3'))).toBe(true);
  });

  it('runs the retry in the same worktree, on its earlier commit', async () => {
    const runs = await taskRuns('fix');
    expect(runs).toHaveLength(2);
    const [first, second] = toolOutputs('fix');
    const folder = `${realpathSync(p.root)}/.wg-worktrees/${runs[0]?.id ?? ''}`;
    expect(first?.split('\n')[0]).toBe(folder);
    expect(second?.split('\n')[0]).toBe(folder);
    expect(second).toContain('first attempt');
  });

  it('merges the passing work as one squash commit, records it, and only then starts the dependent, which sees the file', async () => {
    const fix = await p.task('fix');
    expect(fix.status).toBe('done');
    const feats = git(['log', '--format=%H %s', `${initial}..main`])
      .split('\n')
      .filter((l) => l.includes(' feat: fix '));
    expect(feats).toHaveLength(1);
    const commit = feats[0]?.split(' ')[0] ?? '';
    expect(fix.worktree?.merge_commit).toBe(commit);
    // Merged, and then (its task done, its commit on main) removed by the coordinator's sweep.
    expect(['merged', 'removed']).toContain(fix.worktree?.state);
    expect(git(['show', `${commit}:fix.txt`])).toBe('one\ntwo\n');
    const log = fix.log.map((l) => l.message);
    expect(log.findIndex((m) => m.startsWith('Merged '))).toBeLessThan(log.indexOf(PASSED_LINE));
    const passed = fix.log.find((l) => l.message === PASSED_LINE);
    expect((await p.task('after-fix')).status).toBe('done');
    expect(Date.parse((await taskRuns('after-fix'))[0]?.started_at ?? '')).toBeGreaterThanOrEqual(Date.parse(passed?.timestamp ?? ''));
    expect(toolOutputs('after-fix')[0]).toContain('one\ntwo');
  });
});

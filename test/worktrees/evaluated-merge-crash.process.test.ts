import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSED_LINE } from '../../src/core/agency/evaluation/gate-writes';
import { Store } from '../../src/core/store/store';
import { claudeProjectEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, taskOf, text, type FakeAnthropic, type ScriptTurn } from '../fixtures/fake-anthropic';
import { DaemonProject, exists, waitFor } from '../service/helpers/daemon-project';
import { evaluatedTask, scoreAnswer, startAgencyFake } from './agency-fake';
import { GIT_ENV, gitIn, initClaudeRepo } from './git-project';

/**
 * kill -9 of the daemon in the middle of an evaluated merge (worktrees and the evaluation gate both on):
 * the evaluator passed `fix` (0.9), its work was squash-merged onto main, and the daemon is stopped by
 * the merge's test pause (WG_TEST_MERGE_PAUSE) after main's ref moved, before the transaction that
 * records the score and the commit and marks the task done. Any later evaluation of `fix` scores 0.1:
 * a restart that evaluated again would reopen a task whose work is already on main. The new daemon must
 * instead record the pass that was decided: done, the commit once, the score 0.9, no second evaluation.
 */
let fake: FakeAnthropic;
let p: DaemonProject;
let initial = '';
let fixEvaluations = 0;
const pauses = () => join(p.root, 'pauses');

const git = (args: string[]) => gitIn(p.root, args);

function evaluatorAnswer(prompt: string): ScriptTurn {
  if (evaluatedTask(prompt) !== 'fix') return scoreAnswer(0.9, 'good');
  fixEvaluations++;
  return fixEvaluations === 1 ? scoreAnswer(0.9, 'good') : scoreAnswer(0.1, 'a second evaluation, which must never happen');
}

function agentTurn(request: Record<string, unknown>): ScriptTurn {
  if (JSON.stringify(request.messages).includes('tool_result')) return [text('Done.')];
  if (taskOf(request) !== 'fix') return [text('Nothing to do.')];
  return [bash('echo one > fix.txt && git add fix.txt && git commit -qm "the fix" && wg done $WG_TASK_ID')];
}

async function evaluationsOf(taskId: string): Promise<number[]> {
  const store = await Store.open(p.paths.db);
  try {
    return (await store.evaluations.forTask(taskId)).map((e) => e.score);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  fake = await startAgencyFake(agentTurn, evaluatorAnswer);
  const env: Record<string, string> = { ...GIT_ENV };
  p = new DaemonProject('wg-eval-merge-crash-', env, isolatedHostEnv());
  Object.assign(env, claudeProjectEnv(fake.url, join(p.root, '.home', 'claude')), { WG_TEST_MERGE_PAUSE: pauses() });
  initial = initClaudeRepo(p.root);
  mkdirSync(pauses());
  // Only the moment after main's ref moved stops a merge.
  writeFileSync(join(pauses(), 'before-ref.go'), '');
  await p.init();
  await p.ok(['agency', 'init']);
  await p.ok(['add', 'Write fix.txt', '--id', 'fix']);
}, 120_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

describe('a crash between an evaluated merge and its recording', () => {
  it('records the pass that was decided on restart: done, the commit once, the score, no second evaluation', async () => {
    await p.start(['--model', 'haiku']);
    const reached = join(pauses(), 'after-ref.reached');
    await p.waitFor('the pass-merge stopped after main moved', () => existsSync(reached), 120_000);
    const pid = Number(readFileSync(reached, 'utf8').trim());
    expect(pid).toBe(p.daemonPid());
    process.kill(pid, 'SIGKILL');
    await waitFor('the daemon gone', () => !exists(pid));

    // The half state: the squash commit on main, the task still pending-eval, no score recorded.
    const subjects = () =>
      git(['log', '--format=%s', `${initial}..main`])
        .split('\n')
        .filter((s) => s.startsWith('feat: fix '));
    expect(subjects()).toHaveLength(1);
    expect((await p.task('fix')).status).toBe('pending-eval');
    expect(await evaluationsOf('fix')).toEqual([]);
    expect(fixEvaluations).toBe(1);

    writeFileSync(join(pauses(), 'after-ref.go'), '');
    await p.start(['--model', 'haiku']);
    await p.waitFor('fix settled', async () => (await p.task('fix')).status !== 'pending-eval', 60_000);
    const fix = await p.task('fix');
    expect(fix.status).toBe('done');
    expect(fixEvaluations).toBe(1);
    expect(await evaluationsOf('fix')).toEqual([0.9]);
    expect(subjects()).toHaveLength(1);
    const commit = git(['log', '--format=%H', '-1', 'main']).trim();
    expect(fix.worktree?.merge_commit).toBe(commit);
    expect(git(['show', `${commit}:fix.txt`])).toBe('one\n');
    const log = fix.log.map((l) => l.message);
    expect(log.filter((m) => m === PASSED_LINE)).toHaveLength(1);
    expect(log.filter((m) => m.startsWith('Evaluated: ')).map((m) => m.split(' ')[1])).toEqual(['0.9']);
    expect(log.some((m) => m.startsWith('Already merged onto main as '))).toBe(true);
    expect(log.some((m) => m.startsWith('Eval rescue'))).toBe(false);
  }, 200_000);
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeProjectEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, taskOf, text, type FakeAnthropic, type ScriptTurn } from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';
import { evaluatedTask, scoreAnswer, startAgencyFake } from './agency-fake';
import { GIT_ENV, gitIn, initClaudeRepo } from './git-project';

/**
 * A run's evidence of work is only what that run did. The real daemon, the REAL Claude Code CLI for the
 * assigner, the agents and the evaluator (only the model scripted): fix's first attempt commits and
 * calls `wg done`; the evaluator sends it back (0.3). The rescue attempt, in the same worktree with the
 * first attempt's commit, runs no tool and never calls `wg done`: it only answers. That first commit is
 * not its work, so its exit 0 is no done: it is not "agent reported done", not evaluated again, and
 * nothing reaches main (the evaluator would have passed it at 0.9).
 */
const NOTES = 'NOTES-9d2: fix.txt needs a second line';
let fake: FakeAnthropic;
let p: DaemonProject;
let initial = '';
const evaluations: string[] = [];

function evaluatorAnswer(prompt: string): ScriptTurn {
  if (evaluatedTask(prompt) !== 'fix') return scoreAnswer(0.9, 'good');
  evaluations.push(prompt);
  return evaluations.length === 1 ? scoreAnswer(0.3, NOTES) : scoreAnswer(0.9, 'good now');
}

function agentTurn(request: Record<string, unknown>): ScriptTurn {
  const messages = (request.messages ?? []) as Array<{ role?: string }>;
  const lastUser = JSON.stringify(messages.filter((m) => m.role === 'user').at(-1) ?? null);
  if (lastUser.includes('tool_result')) return [text('Done.')];
  if (taskOf(request) !== 'fix') return [text('Nothing for me here.')];
  // The rescue: it has the evaluator's notes, and does nothing at all.
  if (JSON.stringify(request.messages).includes(NOTES)) return [text('I had another look; it is fine as it is.')];
  return [bash('echo one > fix.txt && git add fix.txt && git commit -qm "first attempt" && wg done $WG_TASK_ID', 'Work and report')];
}

beforeAll(async () => {
  fake = await startAgencyFake(agentTurn, evaluatorAnswer);
  const env: Record<string, string> = { ...GIT_ENV };
  p = new DaemonProject('wg-claude-rescue-', env, isolatedHostEnv());
  Object.assign(env, claudeProjectEnv(fake.url, join(p.root, '.home', 'claude')));
  initial = initClaudeRepo(p.root);
  await p.init();
  await p.ok(['agency', 'init']);
  await p.ok(['add', 'Write fix.txt', '--id', 'fix', '--max-retries', '0']);
  await p.start(['--model', 'haiku']);
}, 120_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

const taskRuns = async () => (await p.agentsOf('fix')).filter((a) => a.purpose === 'task');

describe('an evaluation rescue that did nothing', () => {
  it("is not done on the first attempt's commits: failed as no work, not evaluated again, nothing merged", async () => {
    await p.waitFor(
      'the rescue run to end',
      async () => (await taskRuns()).length === 2 && (await taskRuns()).every((a) => a.state !== 'working'),
      180_000,
    );
    const [first, rescue] = await taskRuns();
    const fix = await p.task('fix');
    const log = fix.log.map((l) => l.message);
    const rescued = log.findIndex((m) => m.startsWith('Eval rescue 1/'));
    expect(rescued).toBeGreaterThan(-1);
    // The first attempt did report done; the rescue did not, and nothing says it did.
    expect(log.slice(0, rescued).filter((m) => m.startsWith('Task pending eval (agent reported done'))).toHaveLength(1);
    expect(log.slice(rescued).filter((m) => m.startsWith('Task pending eval'))).toEqual([]);
    expect(rescue).toMatchObject({ state: 'failed', exit_code: 0 });
    expect(fix.status).toBe('failed');
    const head = gitIn(p.root, ['rev-parse', `wg/${first?.id}/fix`]).trim();
    expect(fix.failure_reason).toBe(
      `agent exited without reporting or changing anything; the commits on its branch (up to ${head.slice(0, 10)}) were there ` +
        "when it started, an earlier attempt's, and are not its work: nothing was merged",
    );
    expect(evaluations).toHaveLength(1);
    // main never got the first attempt's work; it stays in the kept worktree for whoever goes on.
    expect(gitIn(p.root, ['rev-parse', 'main']).trim()).toBe(initial);
    expect(fix.worktree).toMatchObject({ state: 'active' });
    expect(gitIn(p.root, ['show', `wg/${first?.id}/fix:fix.txt`])).toBe('one\n');
  }, 240_000);
});

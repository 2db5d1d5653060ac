import { everyAsync } from '../../src/shared/async-arrays';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { DEFAULT_AGENT } from '../../src/core/agency/starters';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import {
  bash,
  startFakeAnthropic,
  taskOf,
  text,
  type FakeAnthropic,
  type RecordedRequest,
  type ScriptTurn,
} from '../fixtures/fake-anthropic';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * The agency end to end: the coordinator asks the assigner (a real Claude Code run, no tools) for
 * an identity, runs the task's agent (real Claude Code, whose Bash tool runs `wg done`), holds the
 * task in pending-eval and asks the evaluator (real Claude Code again) for a score. Only the model
 * is scripted: its answers depend on which question it was asked and about which task.
 *
 * - build → ship: the evaluator passes build; ship starts only after that.
 * - fix → after-fix: the first score is 0.3 with notes; fix reopens, its next prompt carries the
 *   notes; the second score passes it; after-fix starts only then.
 * - junk → after-junk: the evaluator answers prose twice; junk fails closed, after-junk never starts.
 */
const NOTES = 'NOTES-7f3: the error path has no test';
let fake: FakeAnthropic;
let p: DaemonProject;
const evaluations = new Map<string, number>();

const body = (r: RecordedRequest) => r.body as Record<string, unknown>;
const said = (r: RecordedRequest) => JSON.stringify(body(r).messages ?? []);
/** The newest user message: a prompt, or the tool results the CLI sends back. */
const last = (r: RecordedRequest) =>
  JSON.stringify(((body(r).messages ?? []) as Array<{ role?: string }>).filter((m) => m.role === 'user').at(-1) ?? null);
const hasTools = (r: RecordedRequest) => Array.isArray(body(r).tools) && (body(r).tools as unknown[]).length > 0;
const isEvaluator = (r: RecordedRequest) => !hasTools(r) && said(r).includes('### Role: Evaluator');
const isAssigner = (r: RecordedRequest) => !hasTools(r) && said(r).includes('### Role: Assigner');
const evaluatedTask = (text: string) => /\*\*Title:\*\* [^(]*\(([\w-]+)\)/.exec(text)?.[1] ?? null;

function evaluatorAnswer(taskId: string | null): ScriptTurn {
  const n = (evaluations.get(taskId ?? '') ?? 0) + 1;
  evaluations.set(taskId ?? '', n);
  if (taskId === 'junk') return [text('I had a look and it seems fine overall.')];
  const score = taskId === 'fix' && n === 1 ? 0.3 : 0.9;
  const notes = score < 0.7 ? NOTES : 'good';
  return [text(`\`\`\`json\n${JSON.stringify({ score, dimensions: { correctness: score, completeness: score }, notes })}\n\`\`\``)];
}

beforeAll(async () => {
  fake = await startFakeAnthropic([], {
    toolless: 'script',
    respond: (request) => {
      const record = { body: request } as RecordedRequest;
      if (isEvaluator(record)) return evaluatorAnswer(evaluatedTask(said(record)));
      if (isAssigner(record)) {
        return [
          text(
            `{"agent_hash": "${DEFAULT_AGENT.id.slice(0, 8)}", "exec_mode": "full", "context_scope": "task", "reason": "it writes careful code"}`,
          ),
        ];
      }
      if (!hasTools(record)) return [text('ok')];
      // The task's agent: one turn that logs and reports done, then stops.
      if (last(record).includes('tool_result')) return [text('Done.')];
      return [bash('wg log $WG_TASK_ID "worked on it" && wg done $WG_TASK_ID', 'Report done')];
    },
  });
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-agency-', env, isolatedHostEnv());
  mkdirSync(join(p.root, 'home'), { recursive: true });
  Object.assign(env, claudeEnv(fake.url, join(p.root, 'home')));
  await p.init();
  await p.ok(['agency', 'init']);
  await p.ok(['model', 'set', '--role', 'evaluator', 'opus']);
  for (const [id, after] of [
    ['build', null],
    ['ship', 'build'],
    ['fix', null],
    ['after-fix', 'fix'],
    ['junk', null],
    ['after-junk', 'junk'],
  ] as const) {
    await p.ok(['add', `Task ${id}`, '--id', id, ...(after ? ['--after', after] : [])]);
  }
  await p.start(['--model', 'sonnet', '--max-agents', '3']);
  await waitFor(
    'every task to settle',
    () => everyAsync(['ship', 'after-fix', 'junk'], async (id) => ['done', 'failed'].includes((await p.task(id)).status)),
    150_000,
  ).catch(async (error: unknown) => {
    // What each task went through, to see where it stuck.
    for (const t of await p.tasks())
      console.log(
        t.id,
        t.status,
        t.log.map((l) => l.message),
      );
    throw error;
  });
}, 180_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

const line = (task: Task, prefix: string) => task.log.find((l) => l.message.startsWith(prefix));
const taskRuns = async (id: string) => (await p.agentsOf(id)).filter((a) => a.purpose === 'task');
const agentPrompts = (id: string) =>
  fake.requests.filter((r) => hasTools(r) && taskOf(body(r)) === id && !last(r).includes('tool_result')).map(last);

describe('the agency with the real Claude Code CLI', () => {
  it('assigns an identity by the assigner model before the spawn, and the agent reads it', async () => {
    const build = await p.task('build');
    expect(build.agent).toBe(DEFAULT_AGENT.id);
    expect(line(build, 'Lightweight assignment:')?.message).toBe(
      `Lightweight assignment: agent=Careful Programmer (${DEFAULT_AGENT.id.slice(0, 8)}), exec_mode=full, context_scope=task, reason=it writes careful code`,
    );
    const messages = build.log.map((l) => l.message);
    expect(messages.findIndex((m) => m.startsWith('Lightweight assignment:'))).toBeLessThan(
      messages.findIndex((m) => m.startsWith('Spawned by')),
    );
    expect(agentPrompts('build')[0]).toContain('Agent Identity');
    // The assigner ran with its role's default tier (fast), the agent with coordinator.model.
    const assigner = fake.requests.find((r) => isAssigner(r) && said(r).includes('**ID:** build'));
    expect(String(body(assigner as RecordedRequest).model)).toMatch(/haiku/);
    // One run of each: the assigner's session is not taken for the task's to resume.
    expect((await p.agentsOf('build')).map((a) => a.purpose).sort()).toEqual(['assign', 'evaluate', 'task']);
    expect(build.log.filter((l) => l.message.startsWith('Spawned by'))).toHaveLength(1);
  });

  it('holds a done task in pending-eval until the evaluator (routed to its own model) passes it; then the dependent starts', async () => {
    const build = await p.task('build');
    expect(build.status).toBe('done');
    expect(line(build, 'Task pending eval')?.message).toBe('Task pending eval (agent reported done; awaiting evaluation)');
    const passed = line(build, 'PendingEval → Done');
    expect(passed?.message).toBe('PendingEval → Done (evaluator passed; downstream unblocks)');
    expect(build.evaluation).toMatchObject({ score: 0.9, notes: 'good', source: 'llm' });
    expect(line(build, 'Evaluation started')?.message).toMatch(/^Evaluation started --executor claude --model opus \(role evaluator: /);
    const evaluator = fake.requests.filter(isEvaluator).find((r) => evaluatedTask(said(r)) === 'build');
    expect(String(body(evaluator as RecordedRequest).model)).toMatch(/opus/);
    expect((await p.agentsOf('build')).find((a) => a.purpose === 'evaluate')).toMatchObject({ state: 'done', model: 'opus' });
    expect((await p.task('ship')).status).toBe('done');
    expect(Date.parse((await taskRuns('ship'))[0]?.started_at ?? '')).toBeGreaterThanOrEqual(Date.parse(passed?.timestamp ?? ''));
  });

  it('reopens a task that scores below the threshold with the notes in its next prompt; its dependent waits for the pass', async () => {
    const fix = await p.task('fix');
    expect(fix.status).toBe('done');
    expect(fix.rescue_count).toBe(1);
    expect(line(fix, 'Eval rescue 1/3')?.message).toContain(
      `score 0.30 below threshold 0.70. Re-iterating in place (same agent identity). Evaluator notes: ${NOTES}`,
    );
    expect(await taskRuns('fix')).toHaveLength(2);
    const prompts = agentPrompts('fix');
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).not.toContain(NOTES);
    expect(prompts[1]).toContain(NOTES);
    expect(prompts[1]).toContain('Agent Identity');
    const passed = line(fix, 'PendingEval → Done');
    expect(Date.parse((await taskRuns('after-fix'))[0]?.started_at ?? '')).toBeGreaterThanOrEqual(Date.parse(passed?.timestamp ?? ''));
  });

  it('fails a task closed when the evaluator gives no usable score twice; its dependent never starts', async () => {
    const junk = await p.task('junk');
    expect(junk.status).toBe('failed');
    expect(junk.failure_reason).toMatch(/^evaluation failed 2 times, so the work was not accepted: /);
    expect(evaluations.get('junk')).toBe(2);
    expect(junk.evaluation).toBeNull();
    expect(await p.agentsOf('after-junk')).toEqual([]);
    expect((await p.task('after-junk')).status).toBe('open');
  });
});

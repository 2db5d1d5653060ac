import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { ProjectPaths } from '../../src/core/project';
import type { Agent, HeartbeatStatus, RunArchive } from '../../src/shared/agent';
import type { Task } from '../../src/shared/task';
import { readWaitSpec } from '../../src/shared/wait-condition';
import { makeAgent } from '../fixtures/objects';
import { tempStore } from '../helpers/temp-store';

/** A task's upstream fields, without the time of its last interaction every write notes. */
const fieldsOf = (task: Task) => {
  const { last_interaction_at: _at, ...fields } = task.extra;
  return fields;
};

/*
 * Upstream's flags of the commands this app has, against the store through `dispatch` (as every face calls
 * them). Each case names the upstream test it ports (graphwork/workgraph src/commands/<command>.rs `mod tests`).
 */

let temp = await tempStore();
const warnings: string[] = [];
afterEach(async () => {
  await temp.dispose();
  temp = await tempStore();
  warnings.length = 0;
});

const person = (): OpContext => ({
  store: temp.store,
  paths: {
    dir: temp.dir,
    root: temp.dir,
    config: join(temp.dir, 'config.toml'),
    globalConfig: join(temp.dir, 'global-config.toml'),
    serviceDir: join(temp.dir, 'service'),
    runsDir: join(temp.dir, 'runs'),
  } as ProjectPaths,
  actor: 'user',
  warn: (message) => warnings.push(message),
});
const run = (agentId: string, runId: string): OpContext => ({ ...person(), actor: agentId, agent: { id: agentId, runId } });

/** A task held by a working run, as the coordinator's claim leaves it. */
async function holdTask(taskId: string, agentId: string, runId: string): Promise<void> {
  await temp.store.tasks.add({ title: taskId, id: taskId }, 'user');
  await temp.store.tasks.claim(taskId, agentId, 'coordinator');
  await temp.store.agents.insert(makeAgent({ id: agentId, task_id: taskId }), null, runId);
}

const add = (input: Record<string, unknown>, ctx = person()) => dispatch('task:add', input, ctx) as Promise<Task>;
const paused = async (id: string) => (await temp.store.get(id)).paused;

describe('wg add (upstream add.rs)', () => {
  // upstream: tests/integration_phantom_edge.rs add_with_typo_suggests_correction, error_message_includes_hints
  it('refuses a dependency that does not exist naming the nearest id and the flags that allow it, and adds nothing', async () => {
    await add({ title: 'Build', id: 'build-artifacts' });
    await expect(add({ title: 'Deploy', after: ['bild-artifacts'] })).rejects.toThrow(
      "dependency 'bild-artifacts' does not exist (did you mean 'build-artifacts'?); --paused or --allow-phantom lets a task name one made later",
    );
    expect((await temp.store.list()).map((task) => task.id)).toEqual(['build-artifacts']);
  });

  it('nonexistent_blocker_rejected_by_default, nonexistent_blocker_allowed_with_allow_phantom, nonexistent_blocker_allowed_when_paused', async () => {
    await expect(add({ title: 'My task', after: ['nonexistent'] })).rejects.toThrow("dependency 'nonexistent' does not exist");
    expect(await temp.store.list()).toEqual([]);
    const phantom = await add({ title: 'My task', after: ['nonexistent'], allowPhantom: true });
    expect(phantom).toMatchObject({ status: 'open', paused: false, after: ['nonexistent'] });
    expect((await temp.store.detail(phantom.id)).ready).toBe(false);
    expect(await add({ title: 'Draft', after: ['nonexistent'], paused: true })).toMatchObject({ paused: true, after: ['nonexistent'] });
    // The forward reference resolves once the task is made.
    await add({ title: 'Nonexistent', id: 'nonexistent' });
    expect((await temp.store.get(phantom.id)).after).toEqual(['nonexistent']);
  });

  it('test_add_with_timeout: kept as upstream writes it', async () => {
    const task = await add({ title: 'Timed task', exec: 'python3 long.py', timeout: '4h' });
    expect(task.id).toBe('timed-task');
    expect(task.extra.timeout).toBe('4h');
    await expect(add({ title: 'Bad', timeout: '4 hours' })).rejects.toThrow(/^invalid timeout '4 hours'/);
  });

  it('--skill, --visibility, --provider: upstream fields, kept under its names; its removed --verify is refused', async () => {
    const task = await add({
      title: 'Checked',
      skills: ['rust', 'rust', 'sql'],
      visibility: 'public',
      provider: 'anthropic',
    });
    expect(fieldsOf(task)).toEqual({ skills: ['rust', 'sql'], visibility: 'public', provider: 'anthropic' });
    // upstream: tests/test_verify_timeout_functionality.rs test_legacy_verify_flag_is_rejected
    await expect(add({ title: 'Verified', verify: 'cargo test passes' })).rejects.toThrow(/^--verify is deprecated and no longer accepted/);
    // Upstream warns that --provider is deprecated, and writes it.
    expect(warnings).toEqual([expect.stringContaining('--provider is deprecated')]);
    // Its default visibility is not written.
    expect(fieldsOf(await add({ title: 'Plain', visibility: 'internal' }))).toEqual({});
    await expect(add({ title: 'Bad', visibility: 'everyone' })).rejects.toThrow(/visibility/);
  });

  it("--validation, --validator-agent, --validator-model: accepted, ignored, with upstream's warning", async () => {
    const task = await add({ title: 'Old style', validation: 'integrated', validatorAgent: 'x', validatorModel: 'opus' });
    expect(fieldsOf(task)).toEqual({});
    expect(warnings).toEqual([expect.stringContaining('deprecated and ignored')]);
  });

  it('--delay and --not-before set when it may start; not both, not with a schedule', async () => {
    const delayed = await add({ title: 'Later', delay: '1h' });
    expect(delayed.not_before).toBe('2026-03-01T13:00:00.000Z');
    expect((await temp.store.detail(delayed.id)).ready).toBe(false);
    // Upstream reads a time without an offset as UTC.
    expect((await add({ title: 'Then', notBefore: '2026-05-01T09:00:00' })).not_before).toBe('2026-05-01T09:00:00.000Z');
    expect((await add({ title: 'Offset', notBefore: '2026-05-01T09:00:00+02:00' })).not_before).toBe('2026-05-01T07:00:00.000Z');
    await expect(add({ title: 'Both', delay: '1h', notBefore: '2026-05-01T09:00:00Z' })).rejects.toThrow(
      'Cannot specify both --delay and --not-before: give one',
    );
    await expect(add({ title: 'Scheduled', delay: '1h', schedule: '09:00' })).rejects.toThrow(/a schedule sets when the task starts/);
    await expect(add({ title: 'Bad', delay: '5' })).rejects.toThrow(/^invalid delay '5'/);
    await expect(add({ title: 'Bad', notBefore: 'tomorrow' })).rejects.toThrow(/^invalid timestamp 'tomorrow'/);
  });

  it('--assign: the task is for them; the coordinator leaves it (upstream dispatcher: "Skip if already claimed")', async () => {
    const task = await add({ title: 'For alice', assign: 'alice' });
    expect(task).toMatchObject({ status: 'open', assigned: 'alice' });
    const claimed = await dispatch('task:claim', { id: task.id }, person());
    // Upstream's claim without --actor keeps whoever it is assigned to.
    expect(claimed).toMatchObject({ status: 'in-progress', assigned: 'alice' });
  });

  it("--no-place and --independent: upstream's unplaced and independent marks, kept; --subtask marks unplaced too", async () => {
    expect(fieldsOf(await add({ title: 'Now', noPlace: true, independent: true }))).toEqual({ unplaced: true, independent: true });
  });

  it('default_parent_after_uses_current_task_for_non_coordinator and default_parent_after_preserves_explicit_after', async () => {
    await holdTask('parent-task', 'agent-1', 'run-1');
    await temp.store.tasks.add({ title: 'Other', id: 'other' }, 'user');
    const implicit = await add({ title: 'Follow up' }, run('agent-1', 'run-1'));
    expect(implicit.after).toEqual(['parent-task']);
    const explicit = await add({ title: 'Explicit', after: ['parent-task', 'other'] }, run('agent-1', 'run-1'));
    expect(explicit.after).toEqual(['other', 'parent-task']);
  });

  it("subtask_creates_child_and_sets_wait_condition: the child is ready at once, the run's task waits for it", async () => {
    await holdTask('parent-task', 'agent-1', 'run-1');
    const child = await add({ title: 'Research subtask', subtask: true }, run('agent-1', 'run-1'));
    expect(child).toMatchObject({ id: 'research-subtask', status: 'open', after: [] });
    expect(child.extra.unplaced).toBe(true);
    expect((await temp.store.detail('research-subtask')).ready).toBe(true);
    const parent = await temp.store.get('parent-task');
    expect(parent.status).toBe('waiting');
    expect(readWaitSpec(parent.extra)).toEqual({
      mode: 'any',
      conditions: [
        { type: 'task-status', task_id: 'research-subtask', status: 'done' },
        { type: 'task-status', task_id: 'research-subtask', status: 'failed' },
      ],
    });
    expect(parent.log.at(-1)).toMatchObject({
      actor: 'agent-1',
      message: "Agent parked. Waiting for subtask 'research-subtask' to complete.",
    });
  });

  it('subtask_requires_wg_task_id and subtask_fails_if_parent_not_in_progress: refused, nothing made', async () => {
    await expect(add({ title: 'Child task', subtask: true })).rejects.toThrow(/--subtask is for an agent's run/);
    await holdTask('parent-task', 'agent-1', 'run-1');
    // A run whose task is no longer in progress (parked already) cannot park it again.
    await dispatch('task:wait', { id: 'parent-task', until: 'message' }, run('agent-1', 'run-1'));
    await expect(add({ title: 'Child task', subtask: true }, run('agent-1', 'run-1'))).rejects.toThrow();
    expect((await temp.store.list()).map((t) => t.id)).toEqual(['parent-task']);
  });
});

describe('wg edit (upstream edit.rs)', () => {
  it('test_add_skill and test_remove_skill', async () => {
    await add({ title: 'T', id: 't', skills: ['rust'] });
    expect((await dispatch('task:edit', { id: 't', addSkill: ['sql', 'rust'] }, person())).extra.skills).toEqual(['rust', 'sql']);
    expect((await dispatch('task:edit', { id: 't', removeSkill: ['rust'] }, person())).extra.skills).toEqual(['sql']);
    expect((await dispatch('task:edit', { id: 't', removeSkill: ['sql'] }, person())).extra.skills).toBeUndefined();
  });

  it("--verify is refused (upstream's edit); --visibility, --delay, --not-before as wg add", async () => {
    await add({ title: 'T', id: 't' });
    for (const verify of ['all tests pass', '']) {
      await expect(dispatch('task:edit', { id: 't', verify }, person())).rejects.toThrow(/^--verify is deprecated and no longer accepted/);
    }
    expect((await dispatch('task:edit', { id: 't', visibility: 'peer' }, person())).extra.visibility).toBe('peer');
    expect((await dispatch('task:edit', { id: 't', delay: '30m' }, person())).not_before).toBe('2026-03-01T12:30:00.000Z');
    expect((await dispatch('task:edit', { id: 't', notBefore: '2026-04-01T00:00:00Z' }, person())).not_before).toBe(
      '2026-04-01T00:00:00.000Z',
    );
  });

  // upstream: tests/integration_phantom_edge.rs edit_add_after_nonexistent_dep_fails
  it('--add-after to a task not made yet: refused unless --allow-phantom', async () => {
    await add({ title: 'T', id: 't' });
    await expect(dispatch('task:edit', { id: 't', addAfter: ['later'] }, person())).rejects.toThrow(
      "dependency 'later' does not exist; --allow-phantom lets a task name one made later",
    );
    const edited = await dispatch('task:edit', { id: 't', addAfter: ['later'], allowPhantom: true }, person());
    expect(edited.after).toEqual(['later']);
  });
});

describe('wg claim (upstream claim.rs)', () => {
  it('test_claim_with_actor, and without one', async () => {
    await add({ title: 'A', id: 'a' });
    await add({ title: 'B', id: 'b' });
    expect(await dispatch('task:claim', { id: 'a', agent: 'erik' }, person())).toMatchObject({ status: 'in-progress', assigned: 'erik' });
    const b = await dispatch('task:claim', { id: 'b' }, person());
    expect(b).toMatchObject({ status: 'in-progress', assigned: null });
    expect(b.log.at(-1)?.message).toBe('Claimed');
  });
});

describe('wg list (upstream list.rs)', () => {
  it('test_paused_filter, test_tag_filter_and_semantics, test_tag_filter_no_match, test_tag_filter_combined_with_status', async () => {
    await add({ title: 'T1', id: 't1', tags: ['a', 'b'] });
    await add({ title: 'T2', id: 't2', tags: ['a'], paused: true });
    await add({ title: 'T3', id: 't3', tags: ['b'] });
    await dispatch('task:claim', { id: 't3', agent: 'x' }, person());
    const ids = async (input: Record<string, unknown>) => ((await dispatch('task:list', input, person())) as Task[]).map((t) => t.id);
    expect(await ids({ paused: true })).toEqual(['t2']);
    expect(await ids({ tag: ['a'] })).toEqual(['t1', 't2']);
    expect(await ids({ tag: ['a', 'b'] })).toEqual(['t1']);
    expect(await ids({ tag: ['a', 'nope'] })).toEqual([]);
    expect(await ids({ tag: ['b'], status: 'in-progress' })).toEqual(['t3']);
  });
});

describe('wg abandon, wg retry, wg fail (upstream abandon.rs, retry.rs, fail.rs)', () => {
  it('test_abandon_with_superseded_by', async () => {
    await add({ title: 'T1', id: 't1' });
    const result = await dispatch('task:abandon', { id: 't1', supersededBy: ['t2', 't3'] }, person());
    expect(result.task.extra.superseded_by).toEqual(['t2', 't3']);
    // Never by itself.
    await add({ title: 'T4', id: 't4' });
    await expect(dispatch('task:abandon', { id: 't4', supersededBy: ['t4'] }, person())).rejects.toThrow(
      "task 't4' cannot be superseded by itself",
    );
    expect((await temp.store.get('t4')).status).toBe('open');
  });

  it('test_retry_clears_session_id and test_retry_preserve_session_keeps_session_id', async () => {
    for (const [id, session] of [
      ['t1', 'fce3a8ba-549c-440d-882d-dbfd5d2b371a'],
      ['t2', 'keep-me-alive'],
    ]) {
      await add({ title: id, id });
      await temp.store.tasks.claim(id as string, 'agent-9', 'coordinator');
      await temp.store.core.write(async () => {
        await sqlText(
          temp.store.core,
          `UPDATE tasks SET session_id = ?, extra = json_set(extra, '$.checkpoint', 'half way') WHERE id = ?`,
        ).run(session, id);
      });
      await temp.store.tasks.fail(id as string, 'broke', 'user');
    }
    const cleared = (await dispatch('task:retry', { id: 't1' }, person())) as Task;
    expect(cleared).toMatchObject({ status: 'open', session_id: null });
    expect(cleared.extra.checkpoint).toBeUndefined();
    const kept = (await dispatch('task:retry', { id: 't2', preserveSession: true }, person())) as Task;
    expect(kept).toMatchObject({ status: 'open', session_id: 'keep-me-alive' });
    expect(kept.extra.checkpoint).toBe('half way');
  });

  it('test_eval_reject_done_task and test_eval_reject_already_failed_is_noop', async () => {
    await add({ title: 'T1', id: 't1' });
    await dispatch('task:done', { id: 't1' }, person());
    await expect(dispatch('task:fail', { id: 't1', reason: 'no' }, person())).rejects.toThrow("task 't1' is already done");
    const rejected = await dispatch('task:fail', { id: 't1', reason: 'Quality too low', evalReject: true }, person());
    expect(rejected).toMatchObject({ status: 'failed', failure_reason: 'Quality too low', retry_count: 1 });
    expect(rejected.log.at(-1)?.message).toBe('Evaluation rejected task: Quality too low');
    const again = await dispatch('task:fail', { id: 't1', reason: 'again', evalReject: true }, person());
    expect(again).toMatchObject({ status: 'failed', failure_reason: 'Quality too low', retry_count: 1 });
  });

  it('--class: kept as failure_class; agent-exit-nonzero with evaluation on goes to failed-pending-eval for rescue', async () => {
    await add({ title: 'T1', id: 't1' });
    await add({ title: 'T2', id: 't2' });
    await add({ title: 'Shell', id: 'sh', exec: 'false' });
    const plain = await dispatch('task:fail', { id: 't1', class: 'agent-hard-timeout' }, person());
    expect(plain).toMatchObject({ status: 'failed', retry_count: 1 });
    expect(plain.extra.failure_class).toBe('agent-hard-timeout');
    writeFileSync(join(temp.dir, 'config.toml'), '[agency]\nauto_evaluate = true\n');
    const rescued = await dispatch('task:fail', { id: 't2', reason: 'exit 1', class: 'agent-exit-nonzero' }, person());
    expect(rescued).toMatchObject({ status: 'failed-pending-eval', retry_count: 0, failure_reason: 'exit 1' });
    // A shell task has no evaluation to rescue it (upstream's is_shell_task).
    expect(await dispatch('task:fail', { id: 'sh', class: 'agent-exit-nonzero' }, person())).toMatchObject({ status: 'failed' });
    await expect(dispatch('task:fail', { id: 't2', class: 'oops' }, person())).rejects.toThrow(/class/);
  });
});

describe('wg publish --wcc (upstream resume.rs)', () => {
  const draft = (id: string, after: string[] = [], extra: Record<string, string[]> = {}) =>
    temp.store.tasks.add({ title: id, id, after, paused: true, extra }, 'user');
  const publish = (id: string) => dispatch('task:publish', { id, wcc: true }, person());

  it('test_publish_wcc_releases_linear_chain_from_leaf and test_publish_wcc_topological_release_order', async () => {
    for (let i = 0; i < 5; i++) await draft(`n${i}`, i > 0 ? [`n${i - 1}`] : []);
    const result = await publish('n4');
    expect(result.resumed).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    for (let i = 0; i < 5; i++) expect(await paused(`n${i}`)).toBe(false);
  });

  it('test_publish_wcc_releases_diamond_from_join and test_publish_wcc_multi_root_fanout_synthesis', async () => {
    await draft('a');
    await draft('b', ['a']);
    await draft('c', ['a']);
    await draft('d', ['b', 'c']);
    expect((await publish('d')).resumed).toEqual(['a', 'b', 'c', 'd']);
    await draft('setup');
    for (let i = 0; i < 5; i++) await draft(`audit-${i}`, ['setup']);
    await draft(
      'synthesis',
      [0, 1, 2, 3, 4].map((i) => `audit-${i}`),
    );
    await publish('audit-2');
    for (const id of ['setup', 'audit-0', 'audit-4', 'synthesis']) expect(await paused(id)).toBe(false);
  });

  it('test_publish_wcc_does_not_touch_other_components and test_publish_wcc_is_idempotent_on_already_unpaused', async () => {
    await draft('a');
    await draft('b', ['a']);
    await draft('x');
    await draft('y', ['x']);
    await publish('b');
    expect([await paused('a'), await paused('b'), await paused('x'), await paused('y')]).toEqual([false, false, true, true]);
    await draft('p');
    await temp.store.tasks.add({ title: 'q', id: 'q', after: ['p'] }, 'user');
    await draft('r', ['q']);
    const result = await publish('r');
    expect(result.resumed).toEqual(['p', 'r']);
    expect((await temp.store.get('q')).log.map((l) => l.message)).toEqual(['Task created']);
  });

  it('test_publish_wcc_with_dangling_dep_fails_atomically and test_publish_wcc_follows_before_edges', async () => {
    await draft('a');
    await draft('b', ['a', 'missing']);
    await expect(publish('a')).rejects.toThrow(/missing/);
    expect([await paused('a'), await paused('b')]).toEqual([true, true]);
    await draft('e', [], { before: ['f'] });
    await draft('f');
    await draft('g', ['f']);
    await publish('g');
    expect([await paused('e'), await paused('f'), await paused('g')]).toEqual([false, false, false]);
  });

  it('--only and --wcc together are refused', async () => {
    await draft('a');
    await expect(dispatch('task:publish', { id: 'a', only: true, wcc: true }, person())).rejects.toThrow(
      'give either --only or --wcc, not both',
    );
    expect(await paused('a')).toBe(true);
  });
});

describe('wg artifact (upstream artifact.rs)', () => {
  it('test_add_artifact, test_add_artifact_duplicate, test_remove_artifact, test_remove_nonexistent_artifact, test_list_artifacts', async () => {
    await add({ title: 'T', id: 't', deliverables: ['out.md', 'report.pdf'] });
    await dispatch('task:artifact', { id: 't', value: 'out.md' }, person());
    await dispatch('task:artifact', { id: 't', value: 'out.md' }, person());
    await dispatch('task:artifact', { id: 't', value: 'extra.log' }, person());
    expect(await dispatch('task:artifact', { id: 't' }, person())).toEqual({
      task_id: 't',
      title: 'T',
      deliverables: ['out.md', 'report.pdf'],
      artifacts: ['out.md', 'extra.log'],
    });
    expect(((await dispatch('task:artifact', { id: 't', value: 'extra.log', remove: true }, person())) as Task).artifacts).toEqual([
      'out.md',
    ]);
    await expect(dispatch('task:artifact', { id: 't', value: 'nope', remove: true }, person())).rejects.toThrow(
      "Artifact 'nope' not found on task 't'",
    );
  });
});

describe('wg heartbeat (upstream heartbeat.rs)', () => {
  it('test_check_agents_empty, test_check_agents_with_active, test_check_agents_json', async () => {
    expect(await dispatch('task:heartbeat', {}, person())).toEqual({ threshold_minutes: 5, stale: [], active: [], dead: [] });
    await holdTask('t1', 'agent-1', 'run-1');
    await holdTask('t2', 'agent-2', 'run-2');
    await dispatch('task:heartbeat', { agent: 'agent-1' }, person());
    await temp.store.core.write((rev) => temp.store.agents.update('agent-2', { last_heartbeat: '2026-03-01T11:50:00.000Z' }, rev));
    const status = (await dispatch('task:heartbeat', { check: true, threshold: 5 }, person())) as HeartbeatStatus;
    expect(status.active).toEqual([{ id: 'agent-1', task_id: 't1', last_heartbeat: '2026-03-01T12:00:00.000Z', minutes_ago: 0 }]);
    expect(status.stale).toEqual([{ id: 'agent-2', task_id: 't2', last_heartbeat: '2026-03-01T11:50:00.000Z', minutes_ago: 10 }]);
    const wider = (await dispatch('task:heartbeat', { check: true, threshold: 15 }, person())) as HeartbeatStatus;
    expect(wider.stale).toEqual([]);
    // With an agent and --check, upstream checks rather than records.
    const recorded = (await dispatch('task:heartbeat', { agent: 'agent-2', check: true }, person())) as HeartbeatStatus;
    expect(recorded.threshold_minutes).toBe(5);
    expect((await temp.store.agents.get('agent-2')).last_heartbeat).toBe('2026-03-01T11:50:00.000Z');
  });
});

describe('wg agents --idle (upstream agents.rs)', () => {
  it('lists no run: a run here works from its start to its end', async () => {
    await holdTask('t1', 'agent-1', 'run-1');
    expect((await dispatch('agent:list', { idle: true }, person())) as Agent[]).toEqual([]);
    expect(((await dispatch('agent:list', { alive: true, idle: true }, person())) as Agent[]).map((a) => a.id)).toEqual(['agent-1']);
  });
});

describe('wg log --agent (upstream log.rs)', () => {
  it("test_run_agent_no_archives and test_run_agent_with_archives: each run's prompt and output", async () => {
    await add({ title: 'T', id: 't' });
    expect(await dispatch('task:log', { id: 't', agent: true }, person())).toEqual([]);
    await holdTask('u', 'agent-3', 'run-3');
    const folder = join(temp.dir, 'runs', 'agent-3');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'stdin'), '# Task u\n');
    writeFileSync(join(folder, 'stdout'), 'did it\n');
    const runs = (await dispatch('task:log', { id: 'u', agent: true }, person())) as RunArchive[];
    expect(runs).toEqual([{ timestamp: '2026-01-01T00:01:00.000Z', agent: 'agent-3', prompt: '# Task u\n', output: 'did it\n' }]);
  });
});

describe('wg evaluate record and show (upstream evaluate.rs run_record, run_show)', () => {
  it('records with --task and --source, and shows the history filtered, newest first', async () => {
    await add({ title: 'T1', id: 't1' });
    await add({ title: 'T2', id: 't2' });
    await dispatch('eval:record', { task: 't1', score: 0.4, source: 'outcome:sharpe' }, person());
    temp.setNow(new Date('2026-03-01T13:00:00Z'));
    await dispatch('eval:record', { id: 't1', score: 0.9 }, person());
    await dispatch('eval:record', { id: 't2', score: 0.7, source: 'outcome:other' }, person());
    const forTask = await dispatch('eval:show', { id: 't1' }, person());
    expect(forTask).toMatchObject({
      task_id: 't1',
      evaluations: [
        { score: 0.9, source: 'manual' },
        { score: 0.4, source: 'outcome:sharpe' },
      ],
    });
    const scores = async (input: Record<string, unknown>) =>
      ((await dispatch('eval:show', input, person())) as Array<{ score: number }>).map((e) => e.score);
    expect(await scores({})).toEqual([0.7, 0.9, 0.4]);
    expect(await scores({ source: 'outcome:*' })).toEqual([0.7, 0.4]);
    expect(await scores({ task: 't1' })).toEqual([0.9, 0.4]);
    expect(await scores({ limit: 1 })).toEqual([0.7]);
    await expect(dispatch('eval:record', { score: 0.5 }, person())).rejects.toThrow('name the task scored');
  });
});

import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type {
  Bottlenecks,
  CriticalPath,
  GraphCheck,
  ResumeResult,
  StatusReport,
  TaskContext,
  TaskCost,
  WhyBlocked,
} from '../../src/shared/insight';
import type { LogEntry, Task } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';
import { Store } from '../../src/core/store/store';
import { makeAgent } from '../fixtures/objects';

/*
 * Upstream's everyday commands through the real `wg`, against upstream's behaviour. Each case
 * names the upstream test it ports (graphwork/workgraph src/commands/<command>.rs `mod tests`).
 */

const p = new TempProject();

/** Tasks in any upstream state, the way an upstream graph.jsonl holds them. */
async function importGraph(lines: Array<Record<string, unknown>>): Promise<void> {
  const file = join(p.root, `import-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, lines.map((line) => JSON.stringify({ kind: 'task', title: `Task ${String(line.id)}`, ...line })).join('\n'));
  await p.ok(['import', file]);
}

beforeAll(async () => {
  await p.ok(['init']);
});
afterAll(() => p.remove());

describe('wg status, why-blocked, blocked, context, viz, check', () => {
  beforeAll(async () => {
    await p.ok(['add', 'Design', '--id', 'design']);
    await p.ok(['add', 'Build', '--id', 'build', '--after', 'design']);
    await p.ok(['add', 'Ship', '--id', 'ship', '--after', 'build']);
    await p.ok(['claim', 'design', '--agent', 'agent-1']);
  });

  it("status: one screen, and upstream's JSON shape", async () => {
    const status = await p.json<StatusReport>(['status']);
    expect(status).toMatchObject({
      service: { running: false, pid: null },
      coordinator: { max_agents: 4, executor: 'claude', poll_interval: 60 },
      tasks: { in_progress: 1, ready: 0, blocked: 2, delayed: 0, done_total: 0 },
      recent: [],
    });
    expect(await p.ok(['status'])).toContain('Tasks: 1 in-progress, 0 ready, 2 blocked, 0 done (today: 0)');
  });

  it('why-blocked: the whole chain to the root blocker (test_collect_root_blockers_includes_in_progress)', async () => {
    const result = await p.json<WhyBlocked>(['why-blocked', 'ship']);
    expect(result.root_blockers).toEqual([{ id: 'design', title: 'Design', status: 'in-progress', assigned: 'agent-1', is_ready: false }]);
    expect(result.total_blockers).toBe(2);
    const text = await p.ok(['why-blocked', 'ship']);
    expect(text).toContain(' \\-- blocked by: build (status: Open)');
    expect(text).toContain('Summary: ship is blocked by 2 tasks; unblock design to make progress.');
    expect(await p.ok(['why-blocked', 'design'])).toContain('design has no blockers.');
  });

  it("show --json: an estimate as upstream's hours and cost, and a log entry with no actor without one (its TaskDetails)", async () => {
    const q = new TempProject();
    onTestFinished(() => q.remove());
    await q.ok(['init']);
    const line = {
      kind: 'task',
      id: 'estimated',
      title: 'E',
      estimate: { hours: 2, cost: 3 },
      log: [{ timestamp: '2026-01-01T00:00:00+00:00', message: 'x' }],
    };
    writeFileSync(join(q.root, 'estimated.jsonl'), `${JSON.stringify(line)}\n`);
    await q.ok(['import', join(q.root, 'estimated.jsonl')]);
    const shown = await q.json<Record<string, unknown>>(['show', 'estimated']);
    expect(shown).toMatchObject({ hours: 2, cost: 3 });
    expect((shown.log as Array<Record<string, unknown>>)[0]).toEqual({ timestamp: '2026-01-01T00:00:00+00:00', message: 'x' });
  });

  it('blocked: test_json_output_structure / test_run_nonexistent_task_json', async () => {
    expect(await p.json(['blocked', 'build'])).toEqual([{ id: 'design', title: 'Design', status: 'in-progress' }]);
    expect(await p.ok(['blocked', 'design'])).toBe("Task 'design' has no blockers");
    const missing = await p.wg(['blocked', 'nope', '--json']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toMatch(/^wg: .*nope/);
  });

  it('context: what the dependencies hand over', async () => {
    await p.ok(['artifact', 'design', 'docs/design.md']);
    const context = await p.json<TaskContext>(['context', 'build']);
    expect(context.available_context).toEqual([
      { task_id: 'design', task_title: 'Design', status: 'in-progress', artifacts: ['docs/design.md'] },
    ]);
    expect(await p.ok(['context', 'build'])).toContain('  design [in-progress] Design\n    - docs/design.md');
  });

  it('viz: an ASCII tree by default, dot and mermaid still there', async () => {
    expect(await p.ok(['viz'])).toBe('design  (in-progress)\n└→ build  (open)\n  └→ ship  (open)');
    expect(await p.ok(['viz', '--dot'])).toContain('"build" -> "ship";');
    expect(await p.ok(['viz', '--mermaid'])).toMatch(/^flowchart LR/);
  });

  it('check: test_check_ok_clean_graph, then test_check_fails_on_orphan_refs (exit 1; --json exits 0)', async () => {
    expect(await p.ok(['check'])).toBe('Graph OK: 3 nodes, no issues found');
    await importGraph([{ id: 'orphaned', after: ['desgn'] }]);
    const failing = await p.wg(['check']);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain("orphaned --[after]--> desgn (not found)\n    → Did you mean 'design'?");
    expect(failing.stdout).toContain('Found 1 error(s) and 0 warning(s)');
    const json = await p.json<GraphCheck>(['check']);
    expect(json).toMatchObject({
      ok: false,
      errors: 1,
      node_count: 4,
      orphan_refs: [{ from: 'orphaned', to: 'desgn', relation: 'after' }],
    });
    expect((await p.json<StatusReport>(['status'])).dangling_deps).toEqual([
      { task_id: 'orphaned', missing_dep: 'desgn', relation: 'after' },
    ]);
    await p.ok(['edit', 'orphaned', '--remove-after', 'desgn']);
    expect(await p.ok(['check'])).toBe('Graph OK: 4 nodes, no issues found');
  });

  it("check: a task's requires naming no resource is an orphan, and resources count as nodes (upstream check_orphans)", async () => {
    const q = new TempProject();
    onTestFinished(() => q.remove());
    await q.ok(['init']);
    const file = join(q.root, 'graph.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ kind: 'task', id: 'needs-gpu', title: 'G', requires: ['gpu'] })}\n${JSON.stringify({ kind: 'resource', id: 'cpu', name: 'CPU' })}\n`,
    );
    await q.ok(['import', file]);
    const failing = await q.wg(['check']);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain("needs-gpu --[requires]--> gpu (not found)\n    → Did you mean 'cpu'?");
    expect(await q.json<GraphCheck>(['check'])).toMatchObject({ node_count: 2, orphan_refs: [{ relation: 'requires', to: 'gpu' }] });
    writeFileSync(file, `${JSON.stringify({ kind: 'task', id: 'needs-cpu', title: 'C', requires: ['cpu'] })}\n`);
    await q.ok(['import', file]);
    await q.ok(['abandon', 'needs-gpu']);
    await q.ok(['gc']);
    expect(await q.ok(['check'])).toBe('Graph OK: 2 nodes, no issues found');
  });

  // This app's own: graph.db keeps what holds each task back; a count the rule disagrees with is a bug's trace.
  it('check: a kept blocker count its dependencies disagree with is an error, and wg check --db --repair recounts it', async () => {
    const db = new Database(join(p.root, '.workgraph', 'graph.db'));
    db.prepare("UPDATE tasks SET blockers = -1 WHERE id = 'ship'").run();
    db.close();
    const failing = await p.wg(['check']);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain('Error: Wrong readiness counts in graph.db');
    expect(failing.stdout).toContain('  ship (counted -1, its dependencies give 1)');
    expect((await p.json<GraphCheck>(['check'])).wrong_blocker_counts).toEqual([{ task_id: 'ship', counted: -1, expected: 1 }]);
    expect(await p.ok(['check', '--db', '--repair'])).toMatch(
      /whole \(SQLite integrity_check: ok\); 1 wrong readiness count\(s\) recounted/,
    );
    expect(await p.ok(['check'])).toBe('Graph OK: 4 nodes, no issues found');
  });
});

describe('wg log --list, wg edit --add-after/--remove-after, wg add --cron', () => {
  it('log: --list and a bare `wg log ID` list the entries; --json is the entry array', async () => {
    await p.ok(['add', 'Logged', '--id', 'logged']);
    await p.ok(['log', 'logged', 'first note']);
    const entries = await p.json<LogEntry[]>(['log', 'logged', '--list']);
    expect(entries.map((e) => e.message)).toEqual(['Task created', 'first note']);
    // Upstream's header names the title too (log.rs run_list).
    expect(await p.ok(['log', 'logged'])).toContain("Log entries for 'logged' (Logged):");
    expect(await p.ok(['log', 'logged'])).toContain('    first note');
  });

  // Upstream's log.rs run_add hands the agent (WG_AGENT_ID) its unread messages after the log line.
  const asAgent = { env: { WG_AGENT_ID: 'agent-1' } };
  // `msg poll` exits 1 when nothing is new, as upstream's does.
  const unreadOf = async (task: string, agent: string) =>
    (JSON.parse((await p.wg(['msg', 'poll', task, '--agent', agent, '--json'])).stdout) as unknown[]).length;

  it('test_log_add_surfaces_unread_messages: printed after the log line and marked read', async () => {
    await p.ok(['add', 'Messaged', '--id', 'msg-log-1']);
    await p.ok(['msg', 'send', 'msg-log-1', 'Please handle edge case X']);
    await p.ok(['msg', 'send', 'msg-log-1', 'Urgent fix needed', '--from', 'coordinator', '--priority', 'urgent']);
    const logged = await p.wg(['log', 'msg-log-1', 'Working on it'], asAgent);
    expect(logged.exitCode).toBe(0);
    expect(logged.stdout).toMatch(
      /^Added log entry to 'msg-log-1'\n\n\u{1f4ec} You have 2 new messages:\n {2}#1 \[\d\d:\d\d:\d\d[.\d]*\] user\n {4}Please handle edge case X\n {2}#2 \[[\d:.]+\] coordinator \[URGENT\]\n {4}Urgent fix needed$/u,
    );
    expect(await unreadOf('msg-log-1', 'agent-1')).toBe(0);
  });

  it('test_log_add_no_messages_when_no_agent_id: a person logging reads nothing', async () => {
    await p.ok(['add', 'Messaged', '--id', 'msg-log-2']);
    await p.ok(['msg', 'send', 'msg-log-2', 'Hello']);
    expect(await p.ok(['log', 'msg-log-2', 'Working'])).toBe("Added log entry to 'msg-log-2'");
    expect(await unreadOf('msg-log-2', 'agent-1')).toBe(1);
  });

  it('test_log_add_no_repeat_messages: the second log hands over only what is new', async () => {
    await p.ok(['add', 'Messaged', '--id', 'msg-log-3']);
    await p.ok(['msg', 'send', 'msg-log-3', 'First msg']);
    expect((await p.wg(['log', 'msg-log-3', 'Progress 1'], asAgent)).stdout).toContain('First msg');
    await p.ok(['msg', 'send', 'msg-log-3', 'Second msg', '--from', 'coordinator']);
    const second = (await p.wg(['log', 'msg-log-3', 'Progress 2'], asAgent)).stdout;
    expect(second).toContain('You have 1 new message:');
    expect(second).toContain('Second msg');
    expect(second).not.toContain('First msg');
    expect(await unreadOf('msg-log-3', 'agent-1')).toBe(0);
    // Nothing new: the log line alone.
    expect((await p.wg(['log', 'msg-log-3', 'Progress 3'], asAgent)).stdout).toBe("Added log entry to 'msg-log-3'");
  });

  it('edit: --add-after and --remove-after change only what they name, in one write', async () => {
    await p.ok(['add', 'E1', '--id', 'e1']);
    await p.ok(['add', 'E2', '--id', 'e2']);
    await p.ok(['add', 'E3', '--id', 'e3', '--after', 'e1']);
    await p.ok(['edit', 'e3', '--add-after', 'e2']);
    const afterOf = async (id: string) => (await p.json<Task[]>(['list'])).find((t) => t.id === id)?.after;
    expect((await afterOf('e3'))?.sort()).toEqual(['e1', 'e2']);
    await p.ok(['edit', 'e3', '--remove-after', 'e1', '--add-tag', 'x']);
    expect(await afterOf('e3')).toEqual(['e2']);
    expect((await p.json<Task>(['show', 'e3'])).tags).toEqual(['x']);
    const cycle = await p.wg(['edit', 'e2', '--add-after', 'e3']);
    expect(cycle.exitCode).not.toBe(0);
    expect(await afterOf('e2')).toEqual([]);
  });

  it('add --cron: a repeating schedule; a bad expression is one line and nothing added', async () => {
    const task = await p.json<Task>(['add', 'Nightly', '--id', 'nightly', '--cron', '0 0 2 * * *']);
    expect(task.schedule).toBe('0 0 2 * * *');
    expect(task.not_before).not.toBeNull();
    const bad = await p.wg(['add', 'Bad', '--id', 'bad-cron', '--cron', 'every day']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/^wg: Invalid cron expression/);
    expect((await p.wg(['show', 'bad-cron'])).exitCode).not.toBe(0);
  });

  it('edit --cron sets the schedule, --cron "" clears it; list --cron shows the tasks on one (upstream edit.rs, list.rs)', async () => {
    await p.ok(['add', 'Rota', '--id', 'rota']);
    const set = await p.json<Task>(['edit', 'rota', '--cron', '30 4 * * *']);
    expect(set.schedule).toBe('30 4 * * *');
    expect(set.not_before).toMatch(/T04:30:00\.000Z$/);
    const scheduled = (await p.json<Task[]>(['list', '--cron'])).map((t) => t.id);
    expect(scheduled).toContain('rota');
    expect(scheduled).not.toContain('logged');
    expect(await p.ok(['list', '--cron'])).toContain('rota');
    const cleared = await p.json<Task>(['edit', 'rota', '--cron', '']);
    expect(cleared).toMatchObject({ schedule: null, not_before: null });
    expect((await p.json<Task[]>(['list', '--cron'])).map((t) => t.id)).not.toContain('rota');
    const bad = await p.wg(['edit', 'rota', '--cron', 'every day']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/^wg: Invalid cron expression/);
    expect(await p.wg(['edit', 'rota', '--cron', '0 1 * * *', '--schedule', '09:00'])).toMatchObject({
      exitCode: 1,
      stderr: 'wg: give either --cron or --schedule, not both',
    });
  });

  it('add --cron fires in UTC as upstream (cron.rs calculate_next_fire from Utc::now()), not in the local zone', async () => {
    const ny = { env: { TZ: 'America/New_York' } };
    const added = await p.wg(['add', 'Cr', '--id', 'cron-utc', '--cron', '0 2 * * *', '--json'], ny);
    expect((JSON.parse(added.stdout) as Task).not_before).toMatch(/T02:00:00\.000Z$/);
    // This app's own "09:00" is the local time of day a person means.
    const daily = await p.wg(['add', 'Daily', '--id', 'daily-local', '--schedule', '09:00', '--json'], ny);
    expect((JSON.parse(daily.stdout) as Task).not_before).toMatch(/T1[34]:00:00\.000Z$/);
    // In upstream's cron field, which upstream reads in UTC, it is that time in UTC.
    expect((JSON.parse(daily.stdout) as { cron_schedule: string }).cron_schedule).toMatch(/^0 1[34] \* \* \*$/);
  });
});

describe('wg resume (upstream resume.rs)', () => {
  it('test_propagating_resume_unpauses_chain / _does_not_affect_unrelated_tasks / _skips_already_unpaused', async () => {
    await p.ok(['add', 'R1', '--id', 'r1', '--paused']);
    await p.ok(['add', 'R2', '--id', 'r2', '--after', 'r1', '--paused']);
    await p.ok(['add', 'R3', '--id', 'r3', '--after', 'r2']);
    await p.ok(['add', 'R4', '--id', 'r4', '--after', 'r3', '--paused']);
    await p.ok(['add', 'Unrelated', '--id', 'r-other', '--paused']);
    const result = await p.json<ResumeResult>(['resume', 'r1']);
    expect(result.resumed).toEqual(['r1', 'r2', 'r4']);
    for (const id of ['r1', 'r2', 'r4']) expect((await p.json<Task>(['show', id])).paused).toBe(false);
    expect((await p.json<Task>(['show', 'r-other'])).paused).toBe(true);
  });

  it('test_resume_not_paused_fails / test_propagating_resume_only_flag_unpauses_single', async () => {
    const again = await p.wg(['resume', 'r1']);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toBe("wg: task 'r1' is not paused");
    await p.ok(['add', 'O1', '--id', 'o1', '--paused']);
    await p.ok(['add', 'O2', '--id', 'o2', '--after', 'o1', '--paused']);
    expect(await p.ok(['resume', 'o1', '--only'])).toBe("Resumed 'o1'");
    expect((await p.json<Task>(['show', 'o2'])).paused).toBe(true);
  });

  it('test_propagating_resume_dangling_dep_in_subgraph_fails: nothing is resumed', async () => {
    await importGraph([
      { id: 'd1', paused: true },
      { id: 'd2', paused: true, after: ['d1', 'missing-dep'] },
    ]);
    const result = await p.wg(['resume', 'd1']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("'d2' depends on 'missing-dep', which does not exist");
    expect((await p.json<Task>(['show', 'd1'])).paused).toBe(true);
  });
});

describe('wg publish (upstream resume.rs publish)', () => {
  it('test_publish_with_valid_deps_succeeds / test_publish_no_deps_succeeds, and it propagates downstream as resume does', async () => {
    await p.ok(['add', 'Pub dep', '--id', 'pdep']);
    await p.ok(['add', 'Pub', '--id', 'pub1', '--after', 'pdep', '--paused']);
    await p.ok(['add', 'Pub next', '--id', 'pub2', '--after', 'pub1', '--paused']);
    await p.ok(['add', 'Pub last', '--id', 'pub3', '--after', 'pub2', '--paused']);
    expect(await p.ok(['publish', 'pub1'])).toBe("Published 'pub1' and 2 downstream task(s)");
    for (const id of ['pub1', 'pub2', 'pub3']) expect((await p.json<Task>(['show', id])).paused, id).toBe(false);
    expect((await p.json<Task>(['show', 'pub1'])).log.at(-1)?.message).toBe('Task published');
    expect((await p.json<Task>(['show', 'pub2'])).log.at(-1)?.message).toBe('Task published (downstream of pub1)');

    await p.ok(['add', 'Alone', '--id', 'pub-only', '--paused']);
    await p.ok(['add', 'After alone', '--id', 'pub-only-next', '--after', 'pub-only', '--paused']);
    expect(await p.ok(['publish', 'pub-only', '--only'])).toBe("Published 'pub-only' — task is now available for dispatch");
    expect((await p.json<Task>(['show', 'pub-only-next'])).paused).toBe(true);
    expect((await p.wg(['publish', 'pub-only'])).stderr).toBe("wg: task 'pub-only' is not paused");
  });

  it('test_publish_with_dangling_dep_fails: nothing is published', async () => {
    await p.ok(['add', 'Dangling pub', '--id', 'pubd', '--after', 'missing-task', '--paused']);
    const result = await p.wg(['publish', 'pubd']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('structural errors');
    expect(result.stderr).toContain('dangling');
    expect((await p.json<Task>(['show', 'pubd'])).paused).toBe(true);
  });
});

describe('wg approve / reject (upstream approve.rs, reject.rs)', () => {
  it('test_approve_pending_validation_transitions_to_done / test_approve_creates_log_entry', async () => {
    await importGraph([{ id: 'pv', status: 'pending-validation' }]);
    expect(await p.ok(['approve', 'pv'])).toBe("Approved 'pv' — task is now done");
    const task = await p.json<Task>(['show', 'pv']);
    expect(task.status).toBe('done');
    expect(task.log.at(-1)?.message).toBe('Task approved by validator');
  });

  it('test_approve_non_pending_task_fails / test_approve_done_task_fails / test_approve_nonexistent_task_fails', async () => {
    for (const id of ['pv', 'logged']) {
      const result = await p.wg(['approve', id]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/only pending-validation, pending-eval and failed-pending-eval tasks can be approved/);
    }
    expect((await p.wg(['approve', 'no-such-task'])).exitCode).toBe(3);
  });

  it('test_approve_pending_eval_transitions_to_done (settled as a passing score)', async () => {
    await importGraph([{ id: 'pe', status: 'pending-eval' }]);
    await p.ok(['approve', 'pe']);
    const task = await p.json<Task>(['show', 'pe']);
    expect(task.status).toBe('done');
    expect(task.evaluation).toMatchObject({ score: 1, source: 'manual' });
  });

  it('test_reject_reopens_task / test_reject_clears_assigned / test_reject_adds_feedback_to_log', async () => {
    await importGraph([{ id: 'rj', status: 'pending-validation', assigned: 'agent-9' }]);
    expect(await p.ok(['reject', 'rj', '--reason', 'tests missing'])).toBe("Rejected 'rj' (1/3 rejections) — reopened for re-dispatch");
    const task = await p.json<Task>(['show', 'rj']);
    // `--json` prints upstream's fields at the top level, as graph.jsonl has them.
    expect(task).toMatchObject({ status: 'open', assigned: null, rejection_count: 1 });
    expect(task.log.at(-1)?.message).toBe('Task rejected (1/3): tests missing');
  });

  it('test_reject_default_max_rejections_is_3 / test_reject_max_rejections_fails_task', async () => {
    await importGraph([{ id: 'rj3', status: 'pending-eval', rejection_count: 2 }]);
    expect(await p.ok(['reject', 'rj3', '--reason', 'still wrong'])).toBe("Rejected 'rj3' (3/3 rejections) — task failed");
    expect(await p.json<Task>(['show', 'rj3'])).toMatchObject({
      status: 'failed',
      failure_reason: 'Exceeded max rejections (3/3): still wrong',
    });
    const noReason = await p.wg(['reject', 'rj3']);
    expect(noReason.exitCode).not.toBe(0);
  });
});

describe('wg requeue / reclaim (upstream requeue.rs, reclaim.rs)', () => {
  it('test_requeue_in_progress_task_transitions_to_open / test_requeue_increments_triage_count / test_requeue_adds_log_entry', async () => {
    await p.ok(['add', 'Triage me', '--id', 'tq']);
    await p.ok(['claim', 'tq', '--agent', 'agent-2']);
    expect(await p.ok(['requeue', 'tq', '--reason', 'added fix-dep'])).toBe("Requeued 'tq' for triage (attempt 1/3): added fix-dep");
    const task = await p.json<Task>(['show', 'tq']);
    expect(task).toMatchObject({ status: 'open', assigned: null, started_at: null, triage_count: 1 });
    expect(task.log.at(-1)?.message).toBe('Requeued (triage 1/3): added fix-dep');
  });

  it('test_requeue_non_in_progress_errors / test_requeue_budget_exhausted', async () => {
    expect((await p.wg(['requeue', 'tq', '--reason', 'x'])).stderr).toMatch(/only in-progress tasks can be requeued/);
    await importGraph([{ id: 'tq3', status: 'in-progress', assigned: 'agent-3', triage_count: 3 }]);
    const exhausted = await p.wg(['requeue', 'tq3', '--reason', 'again']);
    expect(exhausted.stderr).toBe("wg: triage budget exhausted for 'tq3' (3/3); use wg fail instead");
    expect((await p.json<Task>(['show', 'tq3'])).status).toBe('in-progress');
  });

  it('test_reclaim_inprogress_task_succeeds / test_reclaim_log_entry_has_correct_actor', async () => {
    await p.ok(['claim', 'tq', '--agent', 'agent-old']);
    expect(await p.ok(['reclaim', 'tq', '--from', 'agent-old', '--to', 'agent-new'])).toBe(
      "Reclaimed task 'tq' from 'agent-old' to 'agent-new'",
    );
    const task = await p.json<Task>(['show', 'tq']);
    expect(task.assigned).toBe('agent-new');
    expect(task.log.at(-1)).toMatchObject({ actor: 'agent-new', message: 'Task reclaimed from @agent-old to @agent-new (agent takeover)' });
  });

  it('test_reclaim_wrong_from_actor_fails / test_reclaim_open_task_fails', async () => {
    expect((await p.wg(['reclaim', 'tq', '--from', 'someone', '--to', 'x'])).stderr).toBe(
      "wg: task 'tq' is assigned to 'agent-new', not 'someone'; cannot reclaim",
    );
    expect((await p.wg(['reclaim', 'logged', '--from', 'a', '--to', 'b'])).stderr).toMatch(/only in-progress tasks can be reclaimed/);
  });
});

describe('wg add --hours/--cost/--input/--deliverable, wg cost, critical-path, bottlenecks (upstream cost.rs, critical_path.rs, bottlenecks.rs)', () => {
  // A graph of its own: critical-path and bottlenecks look at every task.
  const q = new TempProject('wg-plan-');
  beforeAll(async () => {
    await q.ok(['init']);
    await q.ok([
      'add',
      'Design',
      '--id',
      'design',
      '--hours',
      '2',
      '--cost',
      '10',
      '--input',
      'docs/brief, v2.md',
      '--deliverable',
      'design.md',
    ]);
    await q.ok(['add', 'Build', '--id', 'build', '--after', 'design', '--hours', '3', '--cost', '5']);
    await q.ok(['add', 'Docs', '--id', 'docs', '--after', 'design', '--hours', '0.5']);
  });
  afterAll(() => q.remove());

  it("keeps them as upstream's estimate, inputs and deliverables (what export and the graph.jsonl sync write)", async () => {
    const design = await q.json<Task & Record<string, unknown>>(['show', 'design']);
    expect(design).toMatchObject({ estimate: { hours: 2, cost: 10 }, inputs: ['docs/brief, v2.md'], deliverables: ['design.md'] });
    const line = (await q.ok(['export'])).split('\n').find((l) => l.includes('"id":"design"')) ?? '';
    expect(JSON.parse(line)).toMatchObject({
      estimate: { hours: 2, cost: 10 },
      inputs: ['docs/brief, v2.md'],
      deliverables: ['design.md'],
    });
    // wg edit changes one half of the estimate and keeps the other.
    await q.ok(['edit', 'docs', '--cost', '1']);
    expect(await q.json<Record<string, unknown>>(['show', 'docs'])).toMatchObject({ estimate: { hours: 0.5, cost: 1 } });
    // Bad input: one line, nothing added.
    expect(await q.wg(['add', 'Bad', '--hours', '-1'])).toMatchObject({ exitCode: 1, stderr: 'wg: hours cannot be negative' });
    expect(await q.wg(['add', 'Bad', '--cost', 'lots'])).toMatchObject({ exitCode: 1, stderr: 'wg: cost must be a number' });
    expect((await q.json<Task[]>(['list'])).map((t) => t.id)).toEqual(['design', 'build', 'docs']);
  });

  it('cost: test_cost_aggregation_through_dependencies / test_cost_json_output (tests/integration_cli_workflows.rs)', async () => {
    expect(await q.ok(['cost', 'build'])).toBe("Total cost for 'build' (including dependencies): $15.00");
    expect(await q.json<TaskCost>(['cost', 'build'])).toEqual({ task_id: 'build', total_cost: 15, spent_usd: 0 });
    expect(await q.ok(['cost', 'design'])).toBe("Total cost for 'design' (including dependencies): $10.00");
  });

  it('cost: test_run_nonexistent_task', async () => {
    expect(await q.wg(['cost', 'nonexistent'])).toMatchObject({ exitCode: 3, stderr: "wg: task 'nonexistent' not found" });
  });

  it('critical-path: test_linear_chain_critical_path / test_critical_path_json_output (tests/integration_cli_workflows.rs)', async () => {
    const text = await q.ok(['critical-path']);
    expect(text).toMatch(
      /^Critical path \(2 tasks, estimated 5 hours\):\n\n1\. \[ready\] design \(2h\)\n2\. \[\w+\] build \(3h\) <- blocked by design/,
    );
    const json = await q.json<CriticalPath>(['critical-path']);
    expect(json).toMatchObject({ task_count: 2, total_hours: 5 });
    expect(json.critical_path.map((t) => [t.id, t.hours, t.after])).toEqual([
      ['design', 2, null],
      ['build', 3, 'design'],
    ]);
    // Upstream's slack: the path's hours less the task's own.
    expect(json.slack_analysis.map((s) => [s.id, s.slack_hours])).toEqual([['docs', 4.5]]);
  });

  it('bottlenecks: test_collect_transitive_dependents / test_bottlenecks_json_output (tests/integration_cli_workflows.rs)', async () => {
    const text = await q.ok(['bottlenecks']);
    expect(text).toMatch(
      /^Top bottlenecks by transitive impact:\n\n1\. design\n {3}Directly before: 2 tasks\n {3}Transitively before: 2 tasks/,
    );
    const json = await q.json<Bottlenecks>(['bottlenecks']);
    expect(json.total_tasks).toBe(3);
    expect(json.bottlenecks[0]).toMatchObject({ id: 'design', direct_blocks: 2, transitive_before: 2, status: 'open' });
  });
});

describe("upstream's cases not ported before (reject.rs, requeue.rs, reclaim.rs, resume.rs, context.rs, check.rs, log.rs, incomplete.rs)", () => {
  it('test_reject_pending_eval_reopens_task / test_reject_within_max_reopens / test_reject_nonexistent_task_fails', async () => {
    await importGraph([
      { id: 'rje', status: 'pending-eval' },
      { id: 'rjm', status: 'pending-validation', rejection_count: 1, max_rejections: 3 },
    ]);
    await p.ok(['reject', 'rje', '--reason', 'Eval failed']);
    expect(await p.json<Task>(['show', 'rje'])).toMatchObject({ status: 'open', rejection_count: 1 });
    expect(await p.ok(['reject', 'rjm', '--reason', 'Minor issue'])).toBe("Rejected 'rjm' (2/3 rejections) — reopened for re-dispatch");
    expect(await p.json<Task>(['show', 'rjm'])).toMatchObject({ status: 'open', rejection_count: 2 });
    expect(await p.wg(['reject', 'nonexistent', '--reason', 'reason'])).toMatchObject({
      exitCode: 3,
      stderr: "wg: task 'nonexistent' not found",
    });
  });

  it('test_requeue_failed_task_errors / test_requeue_task_not_found', async () => {
    await importGraph([{ id: 'rqf', status: 'failed' }]);
    expect((await p.wg(['requeue', 'rqf', '--reason', 'reason'])).stderr).toBe(
      "wg: task 'rqf' is failed; only in-progress tasks can be requeued",
    );
    expect(await p.wg(['requeue', 'nonexistent', '--reason', 'reason'])).toMatchObject({
      exitCode: 3,
      stderr: "wg: task 'nonexistent' not found",
    });
  });

  it('test_reclaim_unassigned_task_fails / test_reclaim_nonexistent_task_fails', async () => {
    await importGraph([{ id: 'rcu', status: 'in-progress' }]);
    expect((await p.wg(['reclaim', 'rcu', '--from', 'agent-old', '--to', 'agent-new'])).stderr).toBe(
      "wg: task 'rcu' has no assigned actor; use wg claim instead",
    );
    expect(await p.wg(['reclaim', 'nonexistent', '--from', 'agent-old', '--to', 'agent-new'])).toMatchObject({
      exitCode: 3,
      stderr: "wg: task 'nonexistent' not found",
    });
  });

  it('test_resume_only_adds_log_entry / test_propagating_resume_diamond_shape', async () => {
    await p.ok(['add', 'Alone', '--id', 'ro', '--paused']);
    const before = (await p.json<Task>(['show', 'ro'])).log.length;
    await p.ok(['resume', 'ro', '--only']);
    const log = (await p.json<Task>(['show', 'ro'])).log;
    expect(log).toHaveLength(before + 1);
    // Upstream's entry: "Task resumed".
    expect(log.at(-1)?.message).toBe('Task resumed');

    await p.ok(['add', 'Root', '--id', 'droot', '--paused']);
    await p.ok(['add', 'Left', '--id', 'dleft', '--after', 'droot', '--paused']);
    await p.ok(['add', 'Right', '--id', 'dright', '--after', 'droot', '--paused']);
    await p.ok(['add', 'Join', '--id', 'djoin', '--after', 'dleft,dright', '--paused']);
    expect(await p.ok(['resume', 'droot'])).toBe("Resumed 'droot' and 3 downstream task(s)");
    for (const id of ['droot', 'dleft', 'dright', 'djoin']) expect((await p.json<Task>(['show', id])).paused, id).toBe(false);
  });

  it('test_resume_with_multiple_dangling_deps_lists_all', async () => {
    await p.ok(['add', 'Dangling', '--id', 'dangle', '--after', 'missing-a,missing-b', '--paused']);
    const result = await p.wg(['resume', 'dangle']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('missing-a');
    expect(result.stderr).toContain('missing-b');
    expect((await p.json<Task>(['show', 'dangle'])).paused).toBe(true);
  });

  it('test_context_json_output / test_context_task_not_found / test_dependents_no_dependents / test_context_dependency_not_in_graph', async () => {
    await p.ok(['add', 'Ctx one', '--id', 'cx1']);
    await p.ok(['claim', 'cx1', '--agent', 'a']);
    await p.ok(['artifact', 'cx1', 'out/report.md']);
    await p.ok(['done', 'cx1']);
    await p.ok(['add', 'Ctx two', '--id', 'cx2', '--after', 'cx1', '--input', 'out/report.md']);
    const context = await p.json<TaskContext>(['context', 'cx2']);
    expect(context).toMatchObject({ task_id: 'cx2', task_title: 'Ctx two' });
    expect(context.available_context.map((c) => [c.task_id, c.artifacts])).toEqual([['cx1', ['out/report.md']]]);
    expect(await p.wg(['context', 'nonexistent'])).toMatchObject({ exitCode: 3, stderr: "wg: task 'nonexistent' not found" });
    const leaf = await p.wg(['context', 'cx2', '--dependents']);
    expect(leaf.exitCode).toBe(0);
    await p.ok(['add', 'Missing dep', '--id', 'cx3', '--after', 'not-made', '--input', 'file.txt', '--paused']);
    expect((await p.wg(['context', 'cx3'])).exitCode).toBe(0);
  });

  it('test_log_list_empty_log', async () => {
    await importGraph([{ id: 'nolog', status: 'open' }]);
    expect(await p.ok(['log', 'nolog', '--list'])).toBe("No log entries for task 'nolog'");
  });

  it('test_incomplete_zero_max_retries_means_unlimited / test_incomplete_log_entry_includes_attempt_number', async () => {
    await importGraph([
      { id: 'inc0', status: 'in-progress', retry_count: 100, max_retries: 0 },
      { id: 'inc5', status: 'in-progress', retry_count: 1, max_retries: 5 },
    ]);
    expect(await p.ok(['incomplete', 'inc0'])).toContain('(attempt 101/∞)');
    expect(await p.json<Task>(['show', 'inc0'])).toMatchObject({ status: 'incomplete', retry_count: 101 });
    await p.ok(['incomplete', 'inc5', '--reason', 'missing tests']);
    const last = (await p.json<Task>(['show', 'inc5'])).log.at(-1)?.message ?? '';
    expect(last).toContain('attempt #2');
    expect(last).toContain('missing tests');
  });
});

describe('wg check and wg status on graphs of their own (upstream check.rs, status.rs)', () => {
  const g = new TempProject('wg-check-status-');
  beforeAll(() => g.ok(['init']));
  afterAll(() => g.remove());

  it('test_gather_status_empty', async () => {
    const status = await g.json<StatusReport>(['status']);
    expect(status.service.running).toBe(false);
    expect(status.tasks).toMatchObject({ in_progress: 0, ready: 0 });
  });

  it('test_check_warns_on_cycles_but_no_error_alone / test_check_warns_on_stale_assignments_but_no_error', async () => {
    const file = join(g.root, 'cycle.jsonl');
    writeFileSync(
      file,
      [
        { kind: 'task', id: 'ct1', title: 'Task 1', status: 'open', after: ['ct2'] },
        { kind: 'task', id: 'ct2', title: 'Task 2', status: 'open', after: ['ct1'] },
        { kind: 'task', id: 'stale', title: 'Stale', status: 'open', assigned: 'agent-dead' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    await g.ok(['import', file]);
    const check = await g.wg(['check']);
    expect(check.exitCode).toBe(0);
    const report = await g.json<GraphCheck>(['check']);
    expect(report.ok).toBe(true);
    expect(report.cycles.length).toBeGreaterThan(0);
    expect(report.stale_assignments.map((s) => s.task_id)).toEqual(['stale']);
  });

  it('test_display_status_unicode_truncation: a long title of wide characters is cut at 47 characters, not mid-character', async () => {
    const title = '日本語のタスク名前がとても長いのでトランケートされるべきです。テスト用の文字列をもっと追加しますよ。はい。';
    await g.ok(['add', title, '--id', 'unicode']);
    await g.ok(['claim', 'unicode', '--agent', 'a']);
    await g.ok(['done', 'unicode']);
    const line = (await g.ok(['status'])).split('\n').find((l) => l.includes('[done]')) ?? '';
    expect(line).toContain(`${[...title].slice(0, 47).join('')}... [done]`);
  });
});

describe("what upstream's scripts read from the output (integration_phantom_edge.rs, integration_cli_workflows.rs)", () => {
  it('wg add says "Added task: TITLE (ID)", a paused one "(draft)" and how to publish it', async () => {
    // upstream: add_paused_with_nonexistent_after_succeeds, add_allow_phantom_with_nonexistent_after_succeeds
    expect(await p.ok(['add', 'Ship the build', '--id', 'ship-build'])).toBe('Added task: Ship the build (ship-build)');
    const draft = await p.ok(['add', 'Deferred Task', '--after', 'future-task', '--paused']);
    expect(draft).toBe(
      [
        'Added task (draft): Deferred Task (deferred-task)',
        '  Task is paused (draft mode). When ready, run: wg publish deferred-task',
        '  Use --after deferred-task to depend on this task',
      ].join('\n'),
    );
    // upstream's smoke scenarios take the new id so: grep "^Added task:" | grep -oP '\(\K[^)]+'
    const made = await p.ok(['add', 'Phantom ok', '--after', 'not-yet', '--allow-phantom']);
    expect(made.match(/^Added task: .*\(([^)]+)\)$/m)?.[1]).toBe('phantom-ok');
  });

  it("wg done, fail, retry and edit say what they did in upstream's words (done.rs, fail.rs, retry.rs, edit.rs)", async () => {
    await p.ok(['add', 'Words one', '--id', 'words-one']);
    expect(await p.ok(['edit', 'words-one', '--add-tag', 'x'])).toBe("Added tag: x\n\nTask 'words-one' updated successfully");
    expect(await p.ok(['done', 'words-one'])).toBe("Marked 'words-one' as done");
    await p.ok(['add', 'Words two', '--id', 'words-two']);
    expect((await p.ok(['fail', 'words-two', '--reason', 'boom'])).split('\n')[0]).toBe("Marked 'words-two' as failed (boom) (retry #1)");
    expect((await p.ok(['retry', 'words-two'])).split('\n')[0]).toBe("Reset 'words-two' from failed to open for retry (attempt #2)");
  });

  it('wg add --id .x says what a leading dot does: a system task, not a draft, hidden from wg list, started by no agent', async () => {
    // upstream: system_tasks_skip_draft_by_default (integration_agency_pipeline.rs)
    const out = await p.ok(['add', '.system-test-task', '--id', '.system-test-task']);
    expect(out).not.toContain('draft');
    expect(out.split('\n')).toEqual([
      'Added task: .system-test-task (.system-test-task)',
      '  An id starting with "." makes a system task: hidden from wg list (see it with wg list --all), and no agent starts it by itself (wg spawn .system-test-task does)',
    ]);
    expect(await p.ok(['show', '.system-test-task'])).not.toContain('Paused: true');
    expect(await p.ok(['list', '--all'])).toContain('.system-test-task');
    // `.verify-X` is one upstream's coordinator starts like any task: no such line.
    expect(await p.ok(['add', 'Verify it', '--id', '.verify-ship-build'])).toBe('Added task: Verify it (.verify-ship-build)');
  });

  it('wg ready with nothing ready says "No tasks ready"; wg service status --json says "status": "not_running"', async () => {
    // upstream: ready.rs run (its empty case); test_service_status_json_not_running
    const bare = new TempProject('wg-nothing-ready-');
    try {
      await bare.ok(['init']);
      expect(await bare.ok(['ready'])).toBe('No tasks ready');
      expect(await bare.ok(['list'])).toBe('No tasks found');
      expect(await bare.json<{ status: string; running: boolean }>(['service', 'status'])).toMatchObject({
        status: 'not_running',
        running: false,
      });
    } finally {
      bare.remove();
    }
  });
});

describe('wg reschedule and wg reprioritize (upstream reschedule.rs, reprioritize.rs)', () => {
  const show = async (id: string) => p.json<Task>(['show', id]);

  it('test_reschedule_after_hours / test_reschedule_at_timestamp / test_reschedule_clear', async () => {
    await p.ok(['add', 'Later', '--id', 'later']);
    const before = Date.now();
    expect(await p.ok(['reschedule', 'later', '--after', '24'])).toMatch(/^Rescheduled 'later' - not ready until \S+$/);
    const notBefore = Date.parse((await show('later')).not_before ?? '');
    expect(Math.abs(notBefore - (before + 24 * 3_600_000))).toBeLessThan(60_000);
    expect((await p.json<Array<{ id: string }>>(['ready'])).map((t) => t.id)).not.toContain('later');
    await p.ok(['reschedule', 'later', '--at', '2099-06-15T10:00:00Z']);
    expect((await show('later')).not_before).toBe('2099-06-15T10:00:00.000Z');
    expect(await p.ok(['reschedule', 'later'])).toBe("Cleared not_before for 'later' - task is now ready");
    expect((await show('later')).not_before).toBeNull();
  });

  it('test_reschedule_nonexistent_task / test_reschedule_invalid_timestamp / test_reschedule_overflow_hours_rejected: one line, nothing changed', async () => {
    await p.ok(['add', 'Kept', '--id', 'kept']);
    for (const [args, said] of [
      [['reschedule', 'nowhere', '--after', '24'], "wg: task 'nowhere' not found"],
      [
        ['reschedule', 'kept', '--at', 'not-a-timestamp'],
        "wg: invalid timestamp 'not-a-timestamp': use ISO 8601, e.g. 2026-05-01T09:00:00Z",
      ],
      [['reschedule', 'kept', '--after', 'inf'], 'wg: hours must be a number, such as 24'],
      [['reschedule', 'kept', '--after', 'NaN'], 'wg: hours must be a number, such as 24'],
      [['reschedule', 'kept', '--after', '1e300'], 'wg: hours must be within a century of now'],
      [['reschedule', 'kept', '--after', '1', '--at', '2099-06-15T10:00:00Z'], 'wg: give either --after or --at, not both'],
    ] as const) {
      const result = await p.wg([...args]);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr.trim(), args.join(' ')).toBe(said);
    }
    expect((await show('kept')).not_before).toBeNull();
  });

  it('test_reprioritize_normal_to_high / _to_critical / _to_low / _to_idle / _case_insensitive / _accepts_numeric_and_named / _same_priority_noop', async () => {
    await p.ok(['add', 'Ranked', '--id', 'ranked']);
    expect(await p.ok(['reprioritize', 'ranked', 'high'])).toBe("Reprioritized 'ranked': normal -> high");
    for (const [given, value] of [
      ['critical', 100],
      ['low', 5],
      ['idle', 0],
      ['HIGH', 50],
      ['42', 42],
    ] as const) {
      await p.ok(['reprioritize', 'ranked', given]);
      expect((await show('ranked')).priority_value, given).toBe(value);
    }
    expect(await p.ok(['reprioritize', 'ranked', 'normal'])).toBe("Reprioritized 'ranked': 42 -> normal");
    expect(await p.ok(['reprioritize', 'ranked', 'normal'])).toBe("Task 'ranked' already has priority 'normal'");
    // test_reprioritize_nonexistent_task, and a level that is none.
    expect((await p.wg(['reprioritize', 'nowhere', 'high'])).stderr.trim()).toBe("wg: task 'nowhere' not found");
    const bad = await p.wg(['reprioritize', 'ranked', 'urgent']);
    expect([bad.exitCode, bad.stderr.trim()]).toEqual([
      1,
      "wg: priority 'urgent' is neither a level (critical, high, normal, low, idle) nor a number like 50",
    ]);
    expect((await show('ranked')).priority_value).toBe(10);
  });
});

describe("wg add --subtask from an agent's run (upstream tests/integration_subtask.rs)", () => {
  it('subtask_creates_child_and_parks_parent / subtask_child_does_not_depend_on_parent: the child is ready, not after its parent', async () => {
    // The run's task, held by a working run, as the coordinator's claim leaves it.
    await p.ok(['add', 'Parent task', '--id', 'parent-task']);
    const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
    try {
      await store.tasks.claim('parent-task', 'agent-sub', 'coordinator');
      await store.agents.insert(makeAgent({ id: 'agent-sub', task_id: 'parent-task' }), null, 'run-sub');
    } finally {
      await store.close();
    }
    const env = { WG_AGENT_ID: 'agent-sub', WG_RUN_ID: 'run-sub', WG_TASK_ID: 'parent-task' };
    const added = await p.wg(['add', 'Quick research', '--subtask'], { env });
    expect([added.exitCode, added.stdout]).toEqual([
      0,
      [
        'Added subtask: Quick research (quick-research)',
        "  Parent 'parent-task' is now waiting for subtask to complete.",
        '  You should now exit cleanly. The coordinator will re-spawn you when the subtask finishes.',
      ].join('\n'),
    ]);
    // Before, the run's own task was added as the child's dependency: each waited for the other, for good.
    const child = await p.json<Task>(['show', 'quick-research']);
    expect(child.after).toEqual([]);
    expect((await p.json<Array<{ id: string }>>(['ready'])).map((t) => t.id)).toContain('quick-research');
    expect((await p.json<Task>(['show', 'parent-task'])).status).toBe('waiting');
  });
});

describe('wg why-blocked beside a failed dependency', () => {
  it('why-blocked: a failed dependency is in the chain, the root cause (upstream leaves it out and said "no blockers")', async () => {
    const p = new TempProject();
    onTestFinished(() => p.remove());
    await p.ok(['init']);
    await p.ok(['add', 'Fetch', '--id', 'fetch', '--executor', 'manual']);
    await p.ok(['add', 'Use', '--id', 'use', '--after', 'fetch', '--executor', 'manual']);
    await p.ok(['add', 'Report', '--id', 'report', '--after', 'use', '--executor', 'manual']);
    await p.ok(['fail', 'fetch', '--reason', 'nope']);
    const result = await p.json<WhyBlocked>(['why-blocked', 'report']);
    expect(result.is_blocked).toBe(true);
    expect(result.root_blockers).toEqual([{ id: 'fetch', title: 'Fetch', status: 'failed', assigned: null, is_ready: false }]);
    expect(result.total_blockers).toBe(2);
    const text = await p.ok(['why-blocked', 'use']);
    expect(text).not.toContain('no blockers');
    expect(text).toContain('fetch (status: Failed)');
    // What `wg blocked` already said.
    expect(await p.ok(['blocked', 'use'])).toBe("Task 'use' is blocked by:\n  fetch - Fetch [Failed]");
  });
});

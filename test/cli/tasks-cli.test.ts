import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task, TaskDetail } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject();
beforeAll(async () => {
  await p.ok(['init']);
});
afterAll(() => p.remove());

describe('wg task commands', () => {
  it('adds tasks with every field and prints them with the graph.jsonl names', async () => {
    await p.ok(['add', 'Design the schema', '-d', '# Tables\nusers, tasks', '--tag', 'db', '--tag', 'core', '--priority', 'high']);
    await p.ok(['add', 'Write code', '--after', 'design-the-schema', '--model', 'opus', '--executor', 'claude']);
    await p.ok([
      'add',
      'Run script',
      '--id',
      'script',
      '--exec',
      'echo hi',
      '--executor',
      'shell',
      '--after',
      'design-the-schema,write-code',
    ]);
    await p.ok(['add', 'Weekly report', '--executor', 'scheduled', '--schedule', '09:00']);
    await p.ok(['add', 'Later', '--paused']);
    const task = await p.json<Task>(['show', 'script']);
    expect(Object.keys(task)).toEqual(
      expect.arrayContaining([
        'id',
        'title',
        'status',
        'paused',
        'priority',
        'tags',
        'after',
        'model',
        'executor',
        'exec',
        'schedule',
        'assigned',
        'agent',
        'created_at',
        'started_at',
        'completed_at',
        'log',
        'artifacts',
        'retry_count',
        'failure_reason',
        'evaluation',
      ]),
    );
    expect(task).toMatchObject({
      kind: 'task',
      id: 'script',
      exec: 'echo hi',
      executor: 'shell',
      // Upstream's TaskDetails: each dependency with its status.
      after: [
        { id: 'design-the-schema', status: 'open' },
        { id: 'write-code', status: 'open' },
      ],
    });
    // An empty description is left out, as upstream's serializer does.
    expect('description' in task).toBe(false);
    const design = await p.json<Task>(['show', 'design-the-schema']);
    expect(design).toMatchObject({ priority: 'high', tags: ['core', 'db'], description: '# Tables\nusers, tasks' });
    const weekly = await p.json<Task>(['show', 'weekly-report']);
    expect(weekly.schedule).toBe('09:00');
    expect(weekly.not_before).not.toBeNull();
  });

  it('lists, filters and computes readiness', async () => {
    expect((await p.json<Task[]>(['ready'])).map((t) => t.id)).toEqual(['design-the-schema']);
    expect((await p.json<Task[]>(['list', '--tag', 'db'])).map((t) => t.id)).toEqual(['design-the-schema']);
    expect((await p.json<Task[]>(['list', '--status', 'open'])).length).toBe(5);
    expect(await p.ok(['list'])).toMatch(/design-the-schema\s+open\s+high\s+Design the schema/);
  });

  it('claims, logs, completes, fails, retries, pauses and abandons', async () => {
    await p.ok(['claim', 'design-the-schema', '--agent', 'agent-9']);
    await p.ok(['log', 'design-the-schema', 'made the tables']);
    await p.ok(['artifact', 'design-the-schema', 'schema.sql']);
    await p.ok(['done', 'design-the-schema', '--agent', 'agent-9', '--artifacts', '{"result": "3 tables"}']);
    const done = await p.json<Task>(['show', 'design-the-schema']);
    expect(done).toMatchObject({ status: 'done', assigned: 'agent-9', artifacts: ['schema.sql'], results: { result: '3 tables' } });
    expect(done.log.map((l) => l.message)).toContain('made the tables');
    expect((await p.json<Task[]>(['ready'])).map((t) => t.id)).toEqual(['write-code']);

    await p.ok(['claim', 'write-code', '--agent', 'agent-10']);
    await p.ok(['unclaim', 'write-code']);
    await p.ok(['fail', 'write-code', '--reason', 'compiler exploded']);
    expect(await p.json<Task>(['show', 'write-code'])).toMatchObject({ status: 'failed', failure_reason: 'compiler exploded' });
    expect((await p.json<Task[]>(['ready'])).map((t) => t.id)).toEqual([]); // failed does not satisfy
    await p.ok(['retry', 'write-code']);
    // As upstream: the failure counted the attempt; the retry clears its reason (kept in the log for the next prompt).
    expect(await p.json<Task>(['show', 'write-code'])).toMatchObject({ status: 'open', retry_count: 1, failure_reason: null });
    await p.ok(['pause', 'write-code']);
    expect((await p.json<Task[]>(['ready'])).map((t) => t.id)).toEqual([]);
    await p.ok(['publish', 'write-code']);
    await p.ok(['abandon', 'write-code']);
    expect((await p.json<Task[]>(['ready'])).map((t) => t.id)).toEqual(['script']); // abandoned satisfies
  });

  it('edits tasks and dependencies, refusing cycles with the cycle named', async () => {
    await p.ok(['edit', 'later', '--title', 'Much later', '--priority', 'low', '--after', 'script']);
    expect(await p.json<Task>(['show', 'later'])).toMatchObject({ title: 'Much later', priority: 'low', dependencies: [{ id: 'script' }] });
    const refused = await p.wg(['add-dep', 'design-the-schema', 'later']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toBe('wg: dependency would create a cycle: design-the-schema -> later -> script -> design-the-schema');
    await p.ok(['rm-dep', 'later', 'script']);
    expect((await p.json<TaskDetail>(['show', 'later'])).dependencies).toEqual([]);
  });

  it('records and shows evaluations', async () => {
    await p.ok(['evaluate', 'record', 'script', '--score', '0.93', '--dim', 'correctness=0.95', '--dim', 'completeness=0.98']);
    // Upstream's `wg evaluate show TASK --json`: the task's evaluations, newest first.
    expect(await p.json<{ task_id: string; evaluations: unknown[] }>(['evaluate', 'show', 'script'])).toMatchObject({
      task_id: 'script',
      evaluations: [{ score: 0.93, source: 'manual', dimensions: { correctness: 0.95, completeness: 0.98 } }],
    });
    const shown = await p.ok(['show', 'script']);
    expect(shown).toContain('score: 0.93');
    expect(shown).toContain('correctness: 0.95');
  });

  it('exports, imports and draws the graph', async () => {
    const out = join(p.root, 'graph.jsonl');
    await p.ok(['export', '--out', out]);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ kind: 'task', id: 'design-the-schema' });
    const copy = new TempProject();
    try {
      await copy.ok(['init']);
      expect(await copy.ok(['import', out])).toBe('imported 5 new, updated 0');
      expect(await copy.ok(['export'])).toBe(await p.ok(['export']));
    } finally {
      copy.remove();
    }
    expect(await p.ok(['viz', '--dot'])).toContain('"design-the-schema" -> "script";');
    expect(await p.ok(['viz', '--mermaid'])).toMatch(/^flowchart LR/);
  });

  it('records an http executor given as a URL', async () => {
    const task = await p.json<Task>(['add', 'Remote job', '--executor', 'http://localhost:3530/api/task']);
    expect(task.executor).toBe('http://localhost:3530/api/task');
  });

  it('finds the project upward and through --dir / WG_DIR', async () => {
    const nested = join(p.root, '.workgraph');
    expect((await p.wg(['list'], { cwd: join(nested, 'service') })).exitCode).toBe(0);
    expect((await p.wg(['--dir', p.root, 'list'], { cwd: '/' })).exitCode).toBe(0);
    expect((await p.wg(['list'], { cwd: '/', env: { WG_DIR: p.root } })).exitCode).toBe(0);
    const none = await p.wg(['list'], { cwd: '/' });
    expect(none.exitCode).not.toBe(0);
    expect(none.stderr).toMatch(/^wg: no .wg\/ or .workgraph\/ here or above/);
  });
});

describe('wg edit with a whole list', () => {
  // `wg edit c --after d` replaces c's dependencies (upstream's edit has only --add-after): dropped without a word,
  // they would let c start before the work it waits for.
  it('says what an edit giving a whole list dropped, and how to add one instead', async () => {
    const p = new TempProject();
    onTestFinished(() => p.remove());
    await p.ok(['init']);
    for (const id of ['design-the-schema', 'script', 'later']) await p.ok(['add', id, '--id', id]);
    await p.ok(['add', 'Ship it', '--id', 'ship', '--after', 'script,later', '--tag', 'x', '--tag', 'y']);
    const replaced = await p.wg(['edit', 'ship', '--after', 'design-the-schema', '--tag', 'z']);
    expect(replaced.exitCode).toBe(0);
    expect(replaced.stderr.split('\n')).toEqual([
      'wg: Dependencies replaced: later, script → design-the-schema (to add one instead: --add-after)',
      'wg: Tags replaced: x, y → z (to add one instead: --add-tag)',
    ]);
    // Adding with the whole list, or removing with --remove-after, drops nothing unasked: nothing said.
    expect((await p.wg(['edit', 'ship', '--after', 'design-the-schema,script'])).stderr).toBe('');
    expect((await p.wg(['edit', 'ship', '--remove-after', 'script'])).stderr).toBe('');
  });

  it('says paused of a task that waits to be resumed, not of one finished (not "done (paused)")', async () => {
    const p = new TempProject();
    onTestFinished(() => p.remove());
    await p.ok(['init']);
    await p.ok(['add', 'Held', '--id', 'held', '--paused']);
    expect(await p.ok(['show', 'held'])).toMatch(/Status +open \(paused\)/);
    const done = await p.ok(['done', 'held']);
    expect(done).toContain('done');
    expect(done).not.toContain('(paused)');
    expect(await p.ok(['show', 'held'])).not.toContain('(paused)');
  });

  // upstream: src/commands/fail.rs test_fail_already_failed_is_noop, whose run_inner prints "Task '…' is already failed
  // (retry_count: N)". A second reason is not taken, and says so.
  it('wg fail of a failed task changes nothing and says so', async () => {
    const p = new TempProject();
    onTestFinished(() => p.remove());
    await p.ok(['init']);
    await p.ok(['add', 'Run', '--id', 'r']);
    await p.ok(['fail', 'r', '--reason', 'one']);
    const again = await p.wg(['fail', 'r', '--reason', 'two']);
    // Upstream's line, on stdout as there: a `wg: …` line on stderr reads as an error that exited 0.
    expect(again).toMatchObject({ exitCode: 0, stdout: "Task 'r' is already failed (retry_count: 1)", stderr: '' });
    expect(await p.json<Task>(['show', 'r'])).toMatchObject({ failure_reason: 'one', retry_count: 1 });
  });

  // Taken, `--timeout 0s` would stop every run of the task at once (timed out after 0 s); `wg config --agent-timeout 0`
  // is refused too.
  it('refuses a timeout of nothing, in one line, changing nothing', async () => {
    const p = new TempProject();
    onTestFinished(() => p.remove());
    await p.ok(['init']);
    const add = await p.wg(['add', 'Zero', '--timeout', '0s']);
    expect(add.exitCode).not.toBe(0);
    expect(add.stderr).toBe("wg: invalid timeout '0s': a run given no time would be stopped at once; give more than 0 (30s, 5m, 1h)");
    expect(await p.json<Task[]>(['list', '--all'])).toEqual([]);
    await p.ok(['add', 'Some', '--id', 'some', '--timeout', '5m']);
    expect((await p.wg(['edit', 'some', '--timeout', '0m'])).exitCode).not.toBe(0);
  });
});

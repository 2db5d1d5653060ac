import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/**
 * gc, archive, trace, runs, spend and stats on the command line: upstream's words for people, its
 * fields in --json, and bad input refused in one line with nothing changed. Upstream's CLI cases
 * (tests/integration_cli_workflows.rs) are named in their titles.
 */
const p = new TempProject('wg-history-cli-');
const lines = async (args: string[]) => (await p.ok(args)).split('\n');
const ids = async () => (await p.json<Array<{ id: string }>>(['list'])).map((t) => t.id).sort();

beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'Open task', '--id', 'open1']);
  await p.ok(['add', 'Done task', '--id', 'done1']);
  await p.ok(['add', 'Another done', '--id', 'done2', '--tag', 'ship']);
  await p.ok(['add', 'Broken', '--id', 'broke']);
  await p.ok(['add', 'Dropped', '--id', 'dropped']);
  for (const id of ['done1', 'done2']) {
    await p.ok(['claim', id, '--agent', 'me']);
    await p.ok(['done', id]);
  }
  await p.ok(['claim', 'broke', '--agent', 'me']);
  await p.ok(['fail', 'broke', '--reason', 'exit 1']);
  await p.ok(['abandon', 'dropped']);
});
afterAll(() => p.remove());

describe('wg gc', () => {
  it('--dry-run lists what would go in upstream’s words, and changes nothing', async () => {
    expect(await lines(['gc', '--dry-run'])).toEqual([
      'Would remove 2 tasks:',
      '  broke - Broken [failed]',
      '  dropped - Dropped [abandoned]',
    ]);
    expect(await ids()).toContain('broke');
  });

  it('removes failed and abandoned tasks (done ones stay without --include-done)', async () => {
    expect(await lines(['gc'])).toEqual(['Removed 2 tasks:', '  broke', '  dropped']);
    expect(await ids()).toEqual(['done1', 'done2', 'open1']);
    expect(await p.ok(['gc'])).toBe('No tasks to garbage collect.');
  });

  it('--json: the removed tasks with upstream’s provenance fields', async () => {
    expect(await p.json(['gc', '--dry-run', '--include-done'])).toEqual({
      kind: 'tasks',
      dry_run: true,
      removed: [
        { id: 'done1', title: 'Done task', status: 'done' },
        { id: 'done2', title: 'Another done', status: 'done' },
      ],
      run_folders: 0,
      run_bytes: 0,
    });
  });

  it('refuses a bad --older in one line, changing nothing', async () => {
    const result = await p.wg(['gc', '--include-done', '--older', 'soon']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe(
      "wg: Invalid number in duration: 'soon' (--older takes a whole number of hours, days or weeks: 24h, 30d, 2w)",
    );
    expect(await ids()).toEqual(['done1', 'done2', 'open1']);
  });

  it('--worktrees is a dry run that says where it looked', async () => {
    expect(await p.ok(['gc', '--worktrees'])).toBe(`No worktrees directory found at ${join(p.root, '.wg-worktrees')}`);
  });
});

describe('wg archive', () => {
  it('a bulk archive without --yes lists them, asks for --yes, exits 1 and changes nothing', async () => {
    const result = await p.wg(['archive']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'Would archive 2 tasks:',
      expect.stringMatching(/^ {2}done1 - Done task \(completed: \d{4}-.+\)$/),
      expect.stringMatching(/^ {2}done2 - Another done \(completed: /),
    ]);
    // The refusal is told on stderr, after the list (upstream's bail).
    expect(result.stderr).toBe('wg: Use --yes to confirm, or specify task IDs explicitly: wg archive <id1> <id2> ...');
    expect(await ids()).toEqual(['done1', 'done2', 'open1']);
  });

  it('refuses an unfinished task in one line', async () => {
    const result = await p.wg(['archive', 'open1']);
    expect([result.exitCode, result.stderr]).toEqual([
      1,
      "wg: Task 'open1' has status 'open' — only done/abandoned tasks can be archived. Use `wg done open1` first.",
    ]);
  });

  it('test_archive_removes_done_tasks: --yes takes done tasks out of the graph into archive.jsonl', async () => {
    expect(await p.ok(['archive', '--yes'])).toBe('Archived 2 tasks. Use `wg archive --undo` to reverse.');
    expect(await ids()).toEqual(['open1']);
    expect(existsSync(join(p.root, '.workgraph', 'archive.jsonl'))).toBe(true);
  });

  it('test_archive_list_json_output: upstream’s fields', async () => {
    const list = await p.json<Array<Record<string, unknown>>>(['archive', '--list']);
    expect(list.map((t) => [t.id, t.title])).toEqual([
      ['done1', 'Done task'],
      ['done2', 'Another done'],
    ]);
    expect(Object.keys(list[0] as object).slice(0, 3)).toEqual(['id', 'title', 'completed_at']);
    expect((await lines(['archive', '--list']))[0]).toBe('Archived tasks (2):');
  });

  it('search finds by tag; restore brings one back; --undo the rest', async () => {
    expect((await lines(['archive', 'search', 'ship']))[0]).toBe("Archived tasks matching 'ship' (1 result):");
    expect(await p.ok(['archive', 'search', 'zzz'])).toBe("No archived tasks matching 'zzz'.");
    expect(await p.ok(['archive', 'restore', 'done2', '--reopen'])).toBe(
      "Restored task 'done2' (Another done) to active graph with status 'open'",
    );
    expect(await lines(['archive', '--undo'])).toEqual([
      'Restored 1 tasks from last archive batch.',
      'Skipped 1 tasks (not found in archive or already in graph): done2',
    ]);
    expect(await ids()).toEqual(['done1', 'done2', 'open1']);
    const missing = await p.wg(['archive', 'restore', 'nothing-here']);
    expect([missing.exitCode, missing.stderr]).toEqual([3, "wg: Task 'nothing-here' not found in archive"]);
  });
});

describe('wg trace', () => {
  it('show: the header, summary and the task’s own records', async () => {
    const out = await lines(['trace', 'show', 'done1']);
    expect(out.slice(0, 2)).toEqual(['Trace: done1 (done)', 'Title: Done task']);
    expect(out).toContain('Summary:');
    expect(out).toContain('Agent runs: (none)');
    expect(out).toContain('Operations: (none)');
  });

  it('--json: upstream’s TraceOutput fields first', async () => {
    const data = await p.json<Record<string, unknown>>(['trace', 'show', 'done1']);
    expect(Object.keys(data).slice(0, 9)).toEqual([
      'id',
      'title',
      'status',
      'assigned',
      'created_at',
      'started_at',
      'completed_at',
      'operations',
      'agent_runs',
    ]);
    expect(data.summary).toMatchObject({ operation_count: 0, agent_run_count: 0 });
  });

  it('--recursive --json: upstream’s RecursiveTraceOutput', async () => {
    const data = await p.json<Record<string, unknown>>(['trace', 'show', 'open1', '--recursive']);
    expect(data).toMatchObject({ root_id: 'open1', total_tasks: 1 });
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining(['root_id', 'total_tasks', 'wall_clock_secs', 'wall_clock_human', 'tasks', 'interventions']),
    );
  });

  it('test_trace_json_overrides_full_flag and test_trace_json_overrides_ops_only_flag', async () => {
    const plain = await p.json<Record<string, unknown>>(['trace', 'show', 'done1']);
    for (const flag of ['--full', '--ops-only']) {
      const data = await p.json<Record<string, unknown>>(['trace', 'show', 'done1', flag]);
      expect(Object.keys(data)).toEqual(Object.keys(plain));
    }
  });

  it('test_trace_not_initialized and test_trace_uninitialized_workgraph: one line, nonzero', async () => {
    const empty = new TempProject('wg-history-empty-');
    try {
      const result = await empty.wg(['trace', 'show', 't1']);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^wg: /);
    } finally {
      empty.remove();
    }
  });

  it('refuses an unknown task and upstream’s --animate in one line', async () => {
    const missing = await p.wg(['trace', 'show', 'nope']);
    expect([missing.exitCode, missing.stderr]).toEqual([3, "wg: task 'nope' not found"]);
    const animate = await p.wg(['trace', 'show', 'done1', '--animate']);
    expect(animate.exitCode).not.toBe(0);
    expect(animate.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('export -o writes upstream’s format and says so on stderr; import --dry-run reads it back and writes nothing', async () => {
    const file = join(p.root, 'trace-out.json');
    const result = await p.wg(['trace', 'export', '--root', 'done1', '-o', file]);
    expect(result.stderr).toBe(`Exported 1 tasks to ${file} (visibility: internal)`);
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['metadata', 'tasks', 'evaluations', 'operations']);
    const dry = await lines(['trace', 'import', file, '--dry-run']);
    expect(dry.slice(0, 3)).toEqual(['=== Dry Run: wg trace import ===', `File:        ${file}`, 'Source:      trace-out']);
    expect(dry).toContain('  imported/trace-out/done1 - Done task (Done)');
    expect(existsSync(join(p.root, '.workgraph', 'imports'))).toBe(false);
    expect(await lines(['trace', 'import', file, '--source', 'peer:alice'])).toEqual([
      "Imported 1 tasks, 0 evaluations, 0 operations from 'peer:alice'",
      `Import directory: ${join(p.root, '.workgraph', 'imports', 'peer:alice')}`,
    ]);
  });

  it('export refuses a visibility that is not a zone', async () => {
    const result = await p.wg(['trace', 'export', '--visibility', 'secret']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('import refuses a file that is not an export, in one line', async () => {
    const bad = join(p.root, 'bad.json');
    writeFileSync(bad, '[1, 2]');
    const result = await p.wg(['trace', 'import', bad]);
    expect([result.exitCode, result.stderr]).toEqual([1, `wg: Failed to parse '${bad}' as trace export: not an object`]);
  });

  it("import of a file that is not there, or a folder, says so in words, not the system's code", async () => {
    const missing = join(p.root, 'nonexist.json');
    expect(await p.wg(['trace', 'import', missing])).toMatchObject({
      exitCode: 1,
      stderr: `wg: cannot read ${missing}: no such file or folder`,
    });
    expect(await p.wg(['trace', 'import', p.root])).toMatchObject({
      exitCode: 1,
      stderr: `wg: cannot read ${p.root}: a folder, not a file`,
    });
  });
});

describe('wg runs, wg spend, wg stats', () => {
  it('runs: none yet, and an unknown snapshot is one line', async () => {
    expect(await p.ok(['runs', 'list'])).toBe('No run snapshots found.');
    expect(await p.json(['runs', 'list'])).toEqual([]);
    const show = await p.wg(['runs', 'show', 'run-001']);
    expect([show.exitCode, show.stderr]).toEqual([3, "wg: no run snapshot 'run-001' (wg runs list shows them)"]);
    const bad = await p.wg(['runs', 'diff', '../etc']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('a run snapshot id looks like run-001');
  });

  it('spend: upstream’s summary, -t for today, -j and --json for upstream’s fields', async () => {
    expect((await lines(['spend']))[0]).toBe('=== Token Spend Summary ===');
    expect(await p.ok(['spend', '-t'])).toBe('No token usage recorded yet today.');
    const data = JSON.parse(await p.ok(['spend', '-j'])) as Record<string, unknown>;
    expect(Object.keys(data).slice(0, 4)).toEqual(['total_cost', 'total_input_tokens', 'total_output_tokens', 'task_count']);
    expect(data).toHaveProperty('daily_breakdown');
    expect(await p.json(['spend', '--today'])).toEqual({
      date: 'today',
      total_cost: 0,
      total_input_tokens: 0,
      total_output_tokens: 0,
      task_count: 0,
      run_count: 0,
    });
  });

  it('stats: upstream’s time counters and fields', async () => {
    expect((await lines(['stats']))[0]).toBe('WG Time Statistics');
    expect(Object.keys(await p.json(['stats']))).toEqual([
      'service_uptime_secs',
      'cumulative_agent_secs',
      'active_agent_secs',
      'active_agent_count',
      'total_agents',
    ]);
  });
});

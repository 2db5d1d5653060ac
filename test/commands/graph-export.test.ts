import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch, parseInput } from '../../src/core/ops/dispatch';
import { readArchive } from '../../src/core/cleanup/archive-file';
import { archivedExportTask, inDateRange, statusColor, statusStyle } from '../../src/core/graph/export/graph-export-dot';
import { parseDayDate } from '../../src/shared/day-date';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * `wg graph-export` against upstream's own cases (graphwork/workgraph src/commands/graph.rs `mod tests`), each named in
 * its `it`. Upstream's run tests only check that run succeeds (its DOT goes to stdout); here each also reads the DOT.
 */

const day = (text: string) => parseDayDate(text) as Date;
const done = (completed_at: string | null) => ({ completed_at });

describe('graph-export colours, styles and dates (upstream graph.rs)', () => {
  it('test_status_color_by_status', () => {
    expect(statusColor('open', false)).toBe('white');
    expect(statusColor('in-progress', false)).toBe('coral');
    expect(statusColor('done', false)).toBe('palegreen');
    expect(statusColor('blocked', false)).toBe('khaki');
    expect(statusColor('failed', false)).toBe('salmon');
    expect(statusColor('abandoned', false)).toBe('lightgray');
  });

  it('test_status_color_archived_always_lightgray', () => {
    for (const s of ['open', 'done', 'in-progress']) expect(statusColor(s, true)).toBe('lightgray');
  });

  it('test_status_style_active_states_are_bold', () => {
    expect(statusStyle('in-progress', false)).toBe('filled,bold');
    expect(statusStyle('failed', false)).toBe('filled,bold');
  });

  it('test_status_style_normal_states_are_filled', () => {
    for (const s of ['open', 'done', 'blocked', 'abandoned']) expect(statusStyle(s, false)).toBe('filled');
  });

  it('test_status_style_archived_is_dashed', () => {
    expect(statusStyle('open', true)).toBe('filled,dashed');
    expect(statusStyle('in-progress', true)).toBe('filled,dashed');
  });

  it('test_parse_date_valid', () => {
    expect(day('2024-06-15').toISOString().slice(0, 10)).toBe('2024-06-15');
  });

  it('test_parse_date_invalid', () => {
    for (const bad of ['not-a-date', '2024/06/15', '06-15-2024', '2024-02-30']) expect(parseDayDate(bad)).toBeNull();
  });

  it('test_in_date_range_no_filters_always_included', () => {
    expect(inDateRange(done(null), null, null)).toBe(true);
  });

  it('test_in_date_range_no_completed_at_excluded_when_filtering', () => {
    expect(inDateRange(done(null), day('2024-01-01'), null)).toBe(false);
  });

  it('test_in_date_range_since_filter', () => {
    const t = done('2024-06-15T10:00:00+00:00');
    expect(inDateRange(t, day('2024-06-01'), null)).toBe(true);
    expect(inDateRange(t, day('2024-07-01'), null)).toBe(false);
  });

  it('test_in_date_range_until_filter', () => {
    const t = done('2024-06-15T10:00:00+00:00');
    expect(inDateRange(t, null, day('2024-07-01'))).toBe(true);
    expect(inDateRange(t, null, day('2024-06-01'))).toBe(false);
  });

  it('test_in_date_range_both_filters', () => {
    const t = done('2024-06-15T10:00:00+00:00');
    expect(inDateRange(t, day('2024-06-01'), day('2024-07-01'))).toBe(true);
    expect(inDateRange(t, day('2024-07-01'), day('2024-07-01'))).toBe(false);
  });
});

describe.each(STORE_KINDS)('wg graph-export on %s (upstream graph.rs run tests)', (kind) => {
  const newStore = storesPerTest(kind);
  const project = async (lines: Array<Record<string, unknown>>) => {
    const env = await newStore();
    if (lines.length) await env.store.importJsonl(lines.map((l) => JSON.stringify({ kind: 'task', ...l })).join('\n'));
    const ctx = opContextOn(env);
    const exportDot = (input: Record<string, unknown> = {}) => dispatch('graph:graphExport', input, ctx);
    return { ctx, exportDot };
  };

  it('test_run_basic_dot_structure', async () => {
    const { exportDot } = await project([
      { id: 't1', title: 'First task' },
      { id: 't2', title: 'Second task' },
    ]);
    const dot = await exportDot();
    expect(dot.startsWith('digraph wg {\n  rankdir=LR;\n  node [shape=box];\n')).toBe(true);
    expect(dot).toContain('  "t1" [label="t1\\nFirst task", style="filled", fillcolor=white];');
    expect(dot).toContain('  "t2" [label="t2\\nSecond task", style="filled", fillcolor=white];');
    expect(dot).not.toContain('legend_archived');
    expect(dot.endsWith('}\n')).toBe(true);
  });

  it('test_run_with_edges (and the assigned and requires edges of upstream run)', async () => {
    const { exportDot } = await project([
      { id: 't1', title: 'First', status: 'in-progress', assigned: 'agent-1' },
      { id: 't2', title: 'Second', after: ['t1'], requires: ['t1', 'gone'] },
    ]);
    const dot = await exportDot();
    expect(dot).toContain('  "t1" [label="t1\\nFirst\\n[agent-1]", style="filled,bold", fillcolor=coral];');
    expect(dot).toContain('  "t1" -> "t2" [label="blocks"];');
    expect(dot).toContain('  "t1" -> "agent-1" [style=dashed, label="assigned"];');
    expect(dot).toContain('  "t2" -> "t1" [style=dotted, label="requires"];');
    expect(dot).not.toContain('"gone"');
  });

  it('test_run_with_date_filters', async () => {
    const { exportDot } = await project([
      { id: 't1', title: 'Old task', status: 'done', completed_at: '2024-01-15T10:00:00+00:00' },
      { id: 't2', title: 'New task', status: 'done', completed_at: '2024-06-15T10:00:00+00:00' },
    ]);
    const dot = await exportDot({ since: '2024-06-01' });
    expect(dot).toContain('"t2" [label=');
    expect(dot).not.toContain('"t1" [label=');
  });

  it('test_run_include_archive_no_archive_file', async () => {
    const { exportDot } = await project([{ id: 't1', title: 'Task' }]);
    const dot = await exportDot({ archive: true });
    expect(dot).toContain('legend_archived [label="Archived", style="filled,dashed", fillcolor=lightgray];');
    expect(dot).toContain('"t1" [label=');
  });

  it('test_run_include_archive_with_file', async () => {
    const { ctx, exportDot } = await project([{ id: 't1', title: 'Active' }]);
    const line = { kind: 'task', id: 'old-t1', title: 'Archived task', status: 'done', completed_at: '2024-03-01T00:00:00+00:00' };
    writeFileSync(join(ctx.paths.dir, 'archive.jsonl'), `${JSON.stringify(line)}\n`);
    expect(await exportDot({ archive: true })).toContain(
      '  "old-t1" [label="old-t1\\nArchived task", style="filled,dashed", fillcolor=lightgray];',
    );
    // Without --archive the archive is not read.
    expect(await exportDot()).not.toContain('old-t1');
  });

  it('test_run_invalid_date_errors: refused in one line before anything is read', async () => {
    await project([]);
    expect(() => parseInput('graph:graphExport', { since: 'bad-date' })).toThrow('a date is YYYY-MM-DD');
    expect(() => parseInput('graph:graphExport', { until: '2024-13-01' })).toThrow('a date is YYYY-MM-DD');
  });

  it('test_load_archive_missing_file / test_load_archive_with_tasks / test_load_archive_skips_empty_and_comments', async () => {
    const { ctx } = await project([]);
    expect(readArchive(ctx.paths.dir)).toEqual([]);
    const line = { kind: 'task', id: 'a1', title: 'A', status: 'done' };
    writeFileSync(join(ctx.paths.dir, 'archive.jsonl'), `# comment\n\n${JSON.stringify(line)}\n\n`);
    const tasks = readArchive(ctx.paths.dir).map((e) => archivedExportTask(e.line));
    expect(tasks.map((t) => t.id)).toEqual(['a1']);
  });
});

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectPaths } from '../../src/core/project';
import { exportTrace } from '../../src/core/history/trace-export';
import { importTrace, parseTraceExport } from '../../src/core/history/trace-import';
import type { TraceExport } from '../../src/shared/history';
import { tempStore } from '../helpers/temp-store';

/**
 * `wg trace export` and `wg trace import`, ported from upstream's trace_export and trace_import
 * commands (their `mod tests`, named in each title): upstream's TraceExport format, its visibility
 * zones, and an import kept as read-only context under `imports/<source>/`.
 */
const NOW = new Date('2026-03-01T12:00:00Z');
let t: Awaited<ReturnType<typeof tempStore>>;
afterEach(() => t?.dispose());

async function graph(lines: Array<Record<string, unknown> & { id: string }>) {
  t = await tempStore(NOW);
  await t.store.importJsonl(lines.map((l) => JSON.stringify({ kind: 'task', title: l.id, status: 'open', ...l })).join('\n'));
  return projectPaths(t.dir);
}

const exported = (root?: string, visibility: 'internal' | 'public' | 'peer' = 'internal') =>
  exportTrace(t.store, projectPaths(t.dir), { root, visibility, now: NOW });

describe('wg trace export', () => {
  it('test_collect_descendants_single_root, test_collect_descendants_chain and test_collect_descendants_does_not_include_unrelated', async () => {
    await graph([{ id: 'root' }, { id: 'child', after: ['root'] }, { id: 'grandchild', after: ['child'] }, { id: 'unrelated' }]);
    expect((await exported('grandchild')).tasks.map((x) => x.id)).toEqual(['grandchild']);
    expect((await exported('root')).tasks.map((x) => x.id)).toEqual(['root', 'child', 'grandchild']);
  });

  it('test_exported_task_serialization_roundtrip and test_exported_task_skips_empty_vecs', async () => {
    await graph([
      {
        id: 't1',
        title: 'Test task',
        description: 'A description',
        status: 'done',
        visibility: 'public',
        skills: ['rust'],
        tags: ['tag1'],
        artifacts: ['output.txt'],
        created_at: '2026-02-28T12:00:00Z',
        completed_at: '2026-02-28T13:00:00Z',
        agent: 'agent-1',
        log: [{ timestamp: '2026-02-28T12:30:00Z', message: 'Progress update' }],
      },
      { id: 't2', title: 'Bare' },
    ]);
    const [full, bare] = (await exported()).tasks;
    expect(Object.keys(full as object)).toEqual([
      'id',
      'title',
      'description',
      'status',
      'visibility',
      'skills',
      'tags',
      'artifacts',
      'created_at',
      'completed_at',
      'agent',
      'log',
    ]);
    expect(full).toMatchObject({ id: 't1', status: 'done', agent: 'agent-1', log: [{ message: 'Progress update' }] });
    for (const key of ['skills', 'after', 'tags', 'log']) expect(bare).not.toHaveProperty(key);
  });

  it('test_trace_export_serialization: metadata and the parts, read back by the import', async () => {
    const paths = await graph([{ id: 'root' }]);
    const out = await exported('root', 'public');
    expect(out.metadata).toEqual({ version: expect.any(String), exported_at: NOW.toISOString(), visibility: 'public', root_task: 'root' });
    expect(parseTraceExport(JSON.stringify(out), 'x.json').metadata.root_task).toBe('root');
    expect(paths.dir).toBe(t.dir);
  });

  it('filters by visibility zone: public tasks only and no evaluations, peers without logs or notes', async () => {
    await graph([
      { id: 'pub', visibility: 'public', agent: 'a1', log: [{ timestamp: '2026-02-28T12:30:00Z', message: 'secret log' }] },
      { id: 'peer', visibility: 'peer', agent: 'a2' },
      { id: 'int' },
    ]);
    await t.store.core.write(() =>
      t.store.evaluations.insert({
        task_id: 'peer',
        agent_id: null,
        role_id: null,
        tradeoff_id: null,
        score: 0.7,
        dimensions: {},
        notes: 'private notes',
        evaluator: 'e',
        model: null,
        source: 'manual',
        timestamp: '2026-02-28T12:00:00Z',
      }),
    );
    mkdirSync(join(t.dir, 'log'));
    writeFileSync(
      join(t.dir, 'log', 'operations.jsonl'),
      [
        '{"timestamp":"t1","op":"add_task","task_id":"pub","detail":{"title":"x"}}',
        '{"timestamp":"t2","op":"claim","task_id":"pub"}',
        '',
      ].join('\n'),
    );
    const pub = await exported(undefined, 'public');
    expect(pub.tasks.map((x) => x.id)).toEqual(['pub']);
    expect(pub.tasks[0]).not.toHaveProperty('agent');
    expect(pub.tasks[0]).not.toHaveProperty('log');
    expect(pub.evaluations).toEqual([]);
    expect(pub.operations).toEqual([{ timestamp: 't1', op: 'add_task', task_id: 'pub' }]);
    const peer = await exported(undefined, 'peer');
    expect(peer.tasks.map((x) => [x.id, x.agent, x.log])).toEqual([
      ['pub', 'a1', undefined],
      ['peer', 'a2', undefined],
    ]);
    expect(peer.evaluations).toMatchObject([{ task_id: 'peer', notes: '' }]);
    expect((await exported(undefined, 'internal')).evaluations).toMatchObject([{ notes: 'private notes' }]);
  });

  it('refuses a root that is not a task', async () => {
    await graph([{ id: 'a' }]);
    await expect(() => exported('nope')).rejects.toThrow("task 'nope' not found");
  });
});

describe('wg trace import', () => {
  const sample = (): TraceExport => ({
    metadata: { version: '0.1.0', exported_at: '2026-02-28T12:00:00Z', visibility: 'internal' },
    tasks: [{ id: 'build-feature', title: 'Task 1', status: 'done', visibility: 'public', tags: ['original-tag'] }],
    evaluations: [
      {
        id: 'eval-1',
        task_id: 'build-feature',
        role_id: '',
        tradeoff_id: '',
        score: 0.8,
        notes: 'n',
        evaluator: 'e',
        timestamp: '2026-02-28T12:00:00Z',
        source: 'llm',
      },
    ],
    operations: [{ timestamp: '2026-02-28T12:00:00Z', op: 'done', task_id: 'build-feature' }],
  });

  it('test_source_tag_from_explicit_arg, test_source_tag_from_metadata and test_source_tag_from_filename', async () => {
    await graph([]);
    const withMeta = { ...sample(), metadata: { ...sample().metadata, source: 'meta-source' } };
    const run = (data: TraceExport, source?: string) =>
      importTrace(t.dir, { text: JSON.stringify(data), file: '/path/to/my-export.json', source, dryRun: true }).source;
    expect(run(withMeta, 'my-source')).toBe('my-source');
    expect(run(withMeta)).toBe('meta-source');
    expect(run(sample())).toBe('my-export');
  });

  it('test_imported_task_namespacing, test_imported_task_tag_augmentation and test_imported_task_serialization_roundtrip', async () => {
    await graph([]);
    const result = importTrace(t.dir, { text: JSON.stringify(sample()), file: 'x.json', source: 'team-alpha', dryRun: false });
    expect(result).toMatchObject({ source: 'team-alpha', task_count: 1, evaluation_count: 1, operation_count: 1 });
    expect(result.import_dir).toBe(join(t.dir, 'imports', 'team-alpha'));
    const tasks = parse(readFileSync(join(result.import_dir, 'tasks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
    expect(tasks).toEqual([
      {
        id: 'imported/team-alpha/build-feature',
        original_id: 'build-feature',
        title: 'Task 1',
        status: 'Done',
        visibility: 'internal',
        tags: ['original-tag', 'imported', 'source:team-alpha'],
        source: 'team-alpha',
      },
    ]);
    const evaluation = JSON.parse(readFileSync(join(result.import_dir, 'evaluations.jsonl'), 'utf8'));
    expect(evaluation).toMatchObject({ id: 'imported-eval-1', source: 'import:llm' });
    expect(readFileSync(join(result.import_dir, 'operations.jsonl'), 'utf8')).toBe(`${JSON.stringify(sample().operations[0])}\n`);
    // Read-only context: nothing entered the graph or this project's scores.
    expect(await t.store.list()).toEqual([]);
    expect(await t.store.evaluations.all()).toEqual([]);
  });

  it('test_dry_run_does_not_write_files', async () => {
    await graph([]);
    const result = importTrace(t.dir, { text: JSON.stringify(sample()), file: 'export.json', source: 'test-source', dryRun: true });
    expect(result.tasks).toEqual([{ id: 'imported/test-source/build-feature', title: 'Task 1', status: 'done' }]);
    expect(existsSync(join(t.dir, 'imports', 'test-source'))).toBe(false);
  });

  it('refuses a file that is not a trace export, and a source tag that would be a path, in one line', async () => {
    await graph([]);
    expect(() => importTrace(t.dir, { text: '{"tasks": []}', file: 'bad.json', dryRun: false })).toThrow(
      "Failed to parse 'bad.json' as trace export: no metadata with a visibility",
    );
    expect(() => importTrace(t.dir, { text: 'not json', file: 'bad.json', dryRun: false })).toThrow('not JSON');
    expect(() => importTrace(t.dir, { text: JSON.stringify(sample()), file: 'x.json', source: '../../etc', dryRun: false })).toThrow(
      "'../../etc' cannot be a source tag",
    );
    expect(existsSync(join(t.dir, 'imports'))).toBe(false);
  });
});

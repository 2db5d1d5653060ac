import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphCheck, TaskContext } from '../../src/shared/insight';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg check`, `wg context` and `wg artifact` against upstream's cases (graphwork/workgraph
 * tests/integration_check_context.rs), each named in its `it`. Upstream builds the graph.jsonl and calls
 * `check_all`, or reads a task's fields back; here the same tasks come in through `wg import` and the
 * commands answer.
 *
 * not ported:
 * - check_detects_orphan_requires, check_valid_resource_reference: upstream's resources (`requires`,
 *   resource nodes) are not built here (docs/upstream.md, "Not here": `wg resource`).
 */

let p: InProcessProject;
const check = async () => JSON.parse((await p.wg(['check', '--json'])).stdout) as GraphCheck;

beforeEach(async () => {
  p = new InProcessProject('wg-check-context-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

describe('wg check', () => {
  it('check_detects_orphan_after', async () => {
    await p.importTasks([{ id: 't1', title: 'Depends on missing', after: ['nonexistent'] }]);
    const result = await check();
    expect(result.orphan_refs.some((o) => o.to === 'nonexistent')).toBe(true);
    expect((await p.wg(['check'])).exitCode).not.toBe(0);
  });

  it('check_clean_graph_passes', async () => {
    await p.importTasks([
      { id: 'parent', title: 'Parent', status: 'done' },
      { id: 'child', title: 'Child', after: ['parent'] },
    ]);
    const result = await check();
    expect(result.orphan_refs).toEqual([]);
    expect(result.cycles).toEqual([]);
    expect((await p.wg(['check'])).exitCode).toBe(0);
  });

  it('check_diamond_dependency_no_cycle', async () => {
    await p.importTasks([
      { id: 'a', title: 'A', before: ['b', 'c'] },
      { id: 'b', title: 'B', after: ['a'], before: ['d'] },
      { id: 'c', title: 'C', after: ['a'], before: ['d'] },
      { id: 'd', title: 'D', after: ['b', 'c'] },
    ]);
    const result = await check();
    expect(result.cycles).toEqual([]);
    expect(result.structural_cycles).toEqual([]);
    expect(result.orphan_refs).toEqual([]);
  });
});

describe("wg context: a task's inputs from its dependencies", () => {
  it('context_collects_artifacts_from_dependencies', async () => {
    await p.importTasks([
      { id: 'dep', title: 'Dependency', status: 'done', artifacts: ['output.json', 'report.md'] },
      { id: 'child', title: 'Dependent', after: ['dep'], inputs: ['output.json'] },
    ]);
    const context = await p.json<TaskContext>(['context', 'child']);
    expect(context.available_context.flatMap((c) => c.artifacts)).toEqual(['output.json', 'report.md']);
    expect(context.missing_inputs).toEqual([]);
  });

  it('context_identifies_missing_inputs', async () => {
    await p.importTasks([
      { id: 'dep', title: 'Dependency', status: 'done', artifacts: ['output.json'] },
      { id: 'child', title: 'Dependent', after: ['dep'], inputs: ['output.json', 'missing.csv'] },
    ]);
    expect((await p.json<TaskContext>(['context', 'child'])).missing_inputs).toEqual(['missing.csv']);
    expect(await p.ok(['context', 'child'])).toContain('Missing inputs (not produced by dependencies):\n  missing.csv');
  });

  it('context_empty_when_no_dependencies', async () => {
    await p.importTasks([{ id: 'standalone', title: 'No deps' }]);
    expect(await p.json<TaskContext>(['context', 'standalone'])).toMatchObject({
      declared_inputs: [],
      available_context: [],
      missing_inputs: [],
    });
  });
});

describe('wg artifact', () => {
  const artifacts = async (id: string) => (await p.json<Task>(['show', id])).artifacts;

  it('artifact_add_and_persist / artifact_add_duplicate_is_idempotent', async () => {
    await p.importTasks([{ id: 't1', title: 'Artifact test' }]);
    await p.ok(['artifact', 't1', 'result.json']);
    expect(await artifacts('t1')).toEqual(['result.json']);
    expect(await p.ok(['artifact', 't1', 'result.json'])).toBe("Artifact 'result.json' already registered for task 't1'");
    expect(await artifacts('t1')).toEqual(['result.json']);
  });

  it('artifact_remove', async () => {
    await p.importTasks([{ id: 't1', title: 'Artifact test', artifacts: ['a.txt', 'b.txt'] }]);
    await p.ok(['artifact', 't1', '--remove', 'a.txt']);
    expect(await artifacts('t1')).toEqual(['b.txt']);
  });

  it('artifact_multiple_tasks_independent', async () => {
    await p.importTasks([
      { id: 't1', title: 'Task 1' },
      { id: 't2', title: 'Task 2' },
    ]);
    await p.ok(['artifact', 't1', 't1-output.txt']);
    await p.ok(['artifact', 't2', 't2-output.txt']);
    expect(await artifacts('t1')).toEqual(['t1-output.txt']);
    expect(await artifacts('t2')).toEqual(['t2-output.txt']);
  });
});

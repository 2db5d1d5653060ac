import { sqlText } from '../helpers/sql-text';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointForTask, listCheckpoints, saveCheckpoint } from '../../src/core/run-folder/checkpoints';
import type { OpContext } from '../../src/core/ops/context';
import { dispatch } from '../../src/core/ops/dispatch';
import { projectPaths, type ProjectPaths } from '../../src/core/project';
import type { Checkpoint, CheckpointResult } from '../../src/shared/agent-loop';
import type { OpInput } from '../../src/shared/ops/registry';
import { tempStore } from '../helpers/temp-store';

/* Upstream's `wg checkpoint` (src/commands/checkpoint.rs, mod tests), its cases ported by name. */

let temp: Awaited<ReturnType<typeof tempStore>>;
let paths: ProjectPaths;

beforeEach(async () => {
  temp = await tempStore();
  paths = { ...projectPaths(join(temp.dir, '.workgraph')), globalConfig: join(temp.dir, 'no-global.toml') };
  // upstream's setup_graph: one task t1, assigned to agent-1.
  await temp.store.tasks.add({ id: 't1', title: 'Test Task' }, 'test');
  await sqlText(temp.store.core, "UPDATE tasks SET assigned = 'agent-1' WHERE id = 't1'").run();
});
afterEach(() => temp.dispose());

const context = (): OpContext => ({ store: temp.store, paths, actor: 'user', warn: () => undefined });
const checkpoint = (input: OpInput<'task:checkpoint'>) => dispatch('task:checkpoint', input, context());
const cpDir = (agent = 'agent-1') => join(paths.runsDir, agent, 'checkpoints');
const later = (seconds: number) => temp.setNow(new Date(Date.parse('2026-03-01T12:00:00Z') + seconds * 1000));

describe('wg checkpoint', () => {
  // upstream: src/commands/checkpoint.rs test_checkpoint_creates_file
  it('test_checkpoint_creates_file', async () => {
    await checkpoint({
      task: 't1',
      summary: 'Test checkpoint summary',
      agent: 'agent-1',
      files: ['src/main.rs'],
      streamOffset: 100,
      turnCount: 10,
      tokenInput: 5000,
      tokenOutput: 2000,
    });
    const files = readdirSync(cpDir());
    expect(files).toHaveLength(1);
    const cp = JSON.parse(readFileSync(join(cpDir(), files[0] as string), 'utf8')) as Checkpoint;
    expect(cp).toMatchObject({
      task_id: 't1',
      agent_id: 'agent-1',
      summary: 'Test checkpoint summary',
      files_modified: ['src/main.rs'],
      stream_offset: 100,
      turn_count: 10,
      token_usage: { input: 5000, output: 2000 },
      type: 'explicit',
    });
  });

  // upstream: src/commands/checkpoint.rs test_checkpoint_auto_prune
  it('test_checkpoint_auto_prune: seven saved, the newest five kept', async () => {
    for (let i = 0; i < 7; i++) {
      later(i);
      await checkpoint({ task: 't1', summary: `Checkpoint ${i}`, agent: 'agent-1' });
    }
    const files = readdirSync(cpDir()).sort();
    expect(files).toHaveLength(5);
    expect((JSON.parse(readFileSync(join(cpDir(), files[0] as string), 'utf8')) as Checkpoint).summary).toBe('Checkpoint 2');
  });

  it('[checkpoint] max_checkpoints in the project config sets how many are kept', async () => {
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.config, '[checkpoint]\nmax_checkpoints = 2\n');
    for (let i = 0; i < 4; i++) {
      later(i);
      await checkpoint({ task: 't1', summary: `Checkpoint ${i}`, agent: 'agent-1' });
    }
    expect(listCheckpoints(paths.runsDir, 'agent-1', null).map((c) => c.summary)).toEqual(['Checkpoint 2', 'Checkpoint 3']);
  });

  // upstream: src/commands/checkpoint.rs test_checkpoint_agent_from_task_assigned
  it('test_checkpoint_agent_from_task_assigned: no --agent, the task’s assignee', async () => {
    const result = (await checkpoint({ task: 't1', summary: 'Task assigned test', checkpointType: 'auto' })) as Extract<
      CheckpointResult,
      { saved: unknown }
    >;
    expect(result.saved.agent_id).toBe('agent-1');
    expect(result.saved.type).toBe('auto');
    expect(existsSync(cpDir())).toBe(true);
  });

  // upstream: src/commands/checkpoint.rs test_checkpoint_invalid_task
  it('test_checkpoint_invalid_task: refused, nothing written', async () => {
    await expect(checkpoint({ task: 'nonexistent', summary: 'Should fail', agent: 'agent-1' })).rejects.toThrow(/nonexistent/);
    expect(existsSync(cpDir())).toBe(false);
  });

  // upstream: src/commands/checkpoint.rs test_checkpoint_json_output
  it('test_checkpoint_json_output: the checkpoint saved and its file', async () => {
    const result = await checkpoint({ task: 't1', summary: 'JSON test', agent: 'agent-1' });
    expect('saved' in result && result.saved.summary).toBe('JSON test');
    expect('file' in result && existsSync(result.file)).toBe(true);
  });

  it('an agent id that is not a folder name is refused before anything is written', async () => {
    await expect(checkpoint({ task: 't1', summary: 'x', agent: '../escape' })).rejects.toThrow(/letters, digits/);
    expect(existsSync(join(paths.runsDir, '..', 'escape'))).toBe(false);
  });

  it('no summary and no --list: refused', async () => {
    await expect(checkpoint({ task: 't1', agent: 'agent-1' })).rejects.toThrow(/--summary is required/);
  });

  // upstream: src/commands/checkpoint.rs test_load_latest
  it('test_load_latest: the newest checkpoint is what a later run is told', async () => {
    await checkpoint({ task: 't1', summary: 'First checkpoint', agent: 'agent-1' });
    later(1);
    await checkpoint({ task: 't1', summary: 'Second checkpoint', agent: 'agent-1' });
    expect(checkpointForTask(paths.runsDir, 't1', ['agent-1'])).toBe('Checkpoint (Explicit, agent agent-1): Second checkpoint');
  });

  // upstream: src/commands/checkpoint.rs test_load_latest_no_checkpoints
  it('test_load_latest_no_checkpoints', () => {
    expect(checkpointForTask(paths.runsDir, 't1', ['agent-1'])).toBeNull();
  });

  it("a run's newest checkpoint about another task is not this task's", async () => {
    await temp.store.tasks.add({ id: 't2', title: 'Other' }, 'test');
    await checkpoint({ task: 't1', summary: 'on t1', agent: 'agent-1' });
    later(1);
    await checkpoint({ task: 't2', summary: 'on t2', agent: 'agent-1' });
    expect(checkpointForTask(paths.runsDir, 't1', ['agent-1'])).toBeNull();
    expect(checkpointForTask(paths.runsDir, 't2', ['agent-1'])).toContain('on t2');
  });

  // upstream: src/commands/checkpoint.rs test_list_checkpoints
  it('test_list_checkpoints', async () => {
    await checkpoint({ task: 't1', summary: 'Listed checkpoint', agent: 'agent-1', files: ['file1.rs'] });
    const listed = await checkpoint({ task: 't1', agent: 'agent-1', list: true });
    expect('checkpoints' in listed && listed.checkpoints.map((c) => [c.summary, c.files_modified])).toEqual([
      ['Listed checkpoint', ['file1.rs']],
    ]);
  });

  // upstream: src/commands/checkpoint.rs test_list_checkpoints_empty
  it('test_list_checkpoints_empty', async () => {
    const listed = await checkpoint({ task: 't1', agent: 'agent-1', list: true });
    expect('checkpoints' in listed && listed.checkpoints).toEqual([]);
  });

  // upstream: src/commands/checkpoint.rs test_prune_checkpoints
  it('test_prune_checkpoints: eight files, five kept, the oldest gone', () => {
    mkdirSync(cpDir(), { recursive: true });
    for (let i = 0; i < 8; i++) {
      const at = `2026-03-04T${String(i).padStart(2, '0')}:00:00.000Z`;
      writeFileSync(
        join(cpDir(), `${at.replace(/:/g, '-')}.json`),
        JSON.stringify({ task_id: 't1', summary: `Checkpoint ${i}`, timestamp: at }),
      );
    }
    const cp: Checkpoint = {
      task_id: 't1',
      agent_id: 'agent-1',
      timestamp: '2026-03-04T08:00:00.000Z',
      type: 'explicit',
      summary: 'Checkpoint 8',
      files_modified: [],
      artifacts_registered: [],
      stream_offset: null,
      turn_count: null,
      token_usage: null,
    };
    saveCheckpoint(paths.runsDir, cp, 5);
    expect(listCheckpoints(paths.runsDir, 'agent-1', null).map((c) => c.summary)).toEqual([
      'Checkpoint 4',
      'Checkpoint 5',
      'Checkpoint 6',
      'Checkpoint 7',
      'Checkpoint 8',
    ]);
  });
});

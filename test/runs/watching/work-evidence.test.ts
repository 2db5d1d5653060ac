import { sqlText } from '../../helpers/sql-text';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/shared/run-event';
import { newRun } from '../../../src/core/store/agent-records';
import { leftEvidence } from '../../../src/core/runs/watching/work-evidence';
import { folderBaseline, writeBaseline } from '../../../src/core/worktrees/folder-baseline';
import { tempStore } from '../../helpers/temp-store';

/**
 * Evidence of work is the run's own: in the project folder, which every run without a worktree
 * shares, another run's new file made an agent that did nothing (and exited 0) count as done, and a
 * read-only Bash call was taken for a write. What is knowable per run: its own worktree's changes;
 * in the shared folder, the files its own tool calls name, or any change while no other run worked there.
 */
describe('evidence of work', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let project = '';
  let worktree = '';
  let runs = '';
  beforeEach(async () => {
    runs = mkdtempSync(join(tmpdir(), 'wg-evidence-runs-'));
    t = await tempStore();
    await t.store.tasks.add({ title: 'Idle', id: 'idle' }, 'user');
    project = mkdtempSync(join(tmpdir(), 'wg-evidence-'));
    worktree = join(project, '.wg-worktrees', 'agent-1');
    mkdirSync(worktree, { recursive: true });
    writeFileSync(join(project, 'README.md'), 'hi\n');
    await run('agent-1', project);
  });
  afterEach(async () => {
    await t.dispose();
    rmSync(project, { recursive: true, force: true });
    rmSync(runs, { recursive: true, force: true });
  });

  /** A run's agent row, working in `cwd` (as its claim records it). */
  async function run(id: string, cwd: string | null): Promise<void> {
    await t.store.core.write(async (rev) => {
      const agent = newRun(
        id,
        { task_id: 'idle', executor: 'claude', model: null, model_source: null, runs_elsewhere: false, output_path: null },
        t.store.core.nowIso(),
        rev,
      );
      await t.store.agents.insert(
        agent,
        JSON.stringify({ kind: 'process', output: 'plain', resumed_session: null, timeout_s: null, needs_evidence: true, cwd }),
      );
    });
  }

  /** The run's judgement after `change` happened to `folder` while it ran. */
  const judge = async (folder: string, events: RunEvent[], change: (folder: string) => void = () => undefined) => {
    const baselineFile = join(runs, `baseline-${Math.random()}.json`);
    writeBaseline(baselineFile, await folderBaseline(folder));
    change(folder);
    return leftEvidence({
      core: t.store.core,
      taskId: 'idle',
      agentId: 'agent-1',
      baselineFile,
      sharedFolder: project,
      events: () => events,
    });
  };
  const someoneWrites = (folder: string) => writeFileSync(join(folder, `other-${Math.random()}.txt`), 'not mine\n');
  const bash: RunEvent = { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'for i in 1 2 3; do sleep 1; done; ls' } };

  it("another run's change of the shared folder is no evidence of a run whose only tool call was a (read-only) Bash", async () => {
    await run('agent-2', project);
    expect(await judge(project, [bash], someoneWrites)).toEqual({
      found: false,
      reason:
        "agent exited without wg done, and the project folder's changes cannot be told to be its own (other runs worked there meanwhile: agent-2); report with wg done, or give it a worktree",
    });
    // codex's shell commands alike.
    expect(
      (await judge(project, [{ type: 'tool_use', id: 'c1', name: 'command_execution', input: { command: 'ls' } }], someoneWrites)).found,
    ).toBe(false);
  });

  it('a file its own tool call names counts in the shared folder, others working or not (Write, Edit, codex file_change)', async () => {
    await run('agent-2', project);
    const writes: RunEvent[][] = [
      [{ type: 'tool_use', id: 'w', name: 'Write', input: { file_path: join(project, 'mine.txt'), content: 'x' } }],
      [{ type: 'tool_use', id: 'e', name: 'Edit', input: { file_path: 'README.md', old_string: 'hi', new_string: 'ho' } }],
      [{ type: 'tool_use', id: 'f', name: 'file_change', input: { changes: [{ path: join(project, 'mine.txt'), kind: 'add' }] } }],
    ];
    for (const events of writes) expect(await judge(project, events, someoneWrites)).toEqual({ found: true });
    // A write that failed, or one outside the folder, is none.
    const failed: RunEvent[] = [...(writes[0] ?? []), { type: 'tool_result', tool_use_id: 'w', output: 'denied', is_error: true }];
    expect((await judge(project, failed, someoneWrites)).found).toBe(false);
    const elsewhere: RunEvent[] = [{ type: 'tool_use', id: 'w', name: 'Write', input: { file_path: '/tmp/scratch.txt', content: 'x' } }];
    expect((await judge(project, elsewhere, someoneWrites)).found).toBe(false);
  });

  it('a change of the shared folder while no other run worked there is its own (a plain cli program that wrote a file)', async () => {
    expect(await judge(project, [{ type: 'text', text: 'wrote report.txt' }], someoneWrites)).toEqual({ found: true });
    // A run that ended before this one started did not work there meanwhile; one in its own worktree never does.
    await t.store.core.write(() =>
      sqlText(t.store.core, "UPDATE agents SET started_at = '2000-01-01T00:00:00.000Z' WHERE id = 'agent-1'").run(),
    );
    await run('agent-3', worktree);
    expect((await judge(project, [bash], someoneWrites)).found).toBe(true);
  });

  it("a change of the run's own worktree counts; nothing changed anywhere is no evidence", async () => {
    await run('agent-2', project);
    expect(await judge(worktree, [], someoneWrites)).toEqual({ found: true });
    expect(await judge(project, [bash])).toEqual({ found: false });
  });
});

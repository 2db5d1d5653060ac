import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/shared/run-event';
import { folderBaseline, leftEvidence, writeBaseline } from '../../../src/core/runs/watching/work-evidence';
import { tempStore } from '../../helpers/temp-store';

/**
 * Evidence of work is the run's own: in the project folder, which every run without a worktree
 * shares, another run's new file made an agent that did nothing (and exited 0) count as done.
 */
describe('evidence of work', () => {
  let t: ReturnType<typeof tempStore>;
  let project = '';
  let worktree = '';
  beforeEach(() => {
    t = tempStore();
    t.store.tasks.add({ title: 'Idle', id: 'idle' }, 'user');
    project = mkdtempSync(join(tmpdir(), 'wg-evidence-'));
    worktree = join(project, '.wg-worktrees', 'agent-1');
    mkdirSync(worktree, { recursive: true });
    writeFileSync(join(project, 'README.md'), 'hi\n');
  });
  afterEach(() => {
    t.dispose();
    rmSync(project, { recursive: true, force: true });
  });

  const judge = async (folder: string, events: RunEvent[]) => {
    const baselineFile = join(project, `baseline-${Math.random()}.json`);
    writeBaseline(baselineFile, await folderBaseline(folder));
    // Another run writes a file meanwhile (outside the skipped folders).
    writeFileSync(join(folder, `other-run-${Math.random()}.txt`), 'not mine\n');
    return leftEvidence({
      core: t.store.core,
      taskId: 'idle',
      agentId: 'agent-1',
      baselineFile,
      sharedFolder: project,
      events: () => events,
    });
  };

  it("another run's change of the shared project folder is no evidence of a run that called no writing tool", async () => {
    expect(
      await judge(project, [
        { type: 'text', text: 'Everything is fine.' },
        { type: 'tool_use', id: 't1', name: 'Read', input: {} },
      ]),
    ).toBe(false);
  });

  it('a change of the shared folder counts with a writing tool of its own (Write, Bash, codex file_change)', async () => {
    for (const name of ['Write', 'Bash', 'file_change', 'command_execution']) {
      expect(await judge(project, [{ type: 'tool_use', id: 't1', name, input: {} }])).toBe(true);
    }
  });

  it("a change of the run's own worktree counts", async () => {
    expect(await judge(worktree, [])).toBe(true);
  });
});

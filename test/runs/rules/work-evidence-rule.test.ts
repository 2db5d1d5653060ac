import { describe, expect, it } from 'vitest';
import { judgeWork, ToolWrites, type WorkFacts } from '../../../src/core/runs/rules/work-evidence-rule';
import type { RunEvent } from '../../../src/shared/run-event';

/** The one rule a run's exit 0 without `wg done` is judged by, on this machine or on an agent daemon's. */
const facts = (patch: Partial<WorkFacts>): WorkFacts => ({
  reported: false,
  changed: false,
  others: [],
  wroteByTool: false,
  changes: "the project folder's changes",
  advice: 'report with wg done',
  ...patch,
});

describe('judgeWork', () => {
  it('is evidence: what the run reported, or a change of a folder nobody else worked in', () => {
    expect(judgeWork(facts({ reported: true }))).toEqual({ found: true });
    expect(judgeWork(facts({ changed: true }))).toEqual({ found: true });
  });

  it('is none: nothing reported and nothing changed since the run started (what was there before is not its work)', () => {
    expect(judgeWork(facts({}))).toEqual({ found: false });
    // A tool write that changed nothing in the end (written back as it was) is no change either.
    expect(judgeWork(facts({ wroteByTool: true }))).toEqual({ found: false });
  });

  it('in a folder others worked in meanwhile, only a file its own tool call wrote counts, and the reason names them', () => {
    expect(judgeWork(facts({ changed: true, others: ['agent-2'], wroteByTool: true }))).toEqual({ found: true });
    expect(judgeWork(facts({ changed: true, others: ['agent-2', 'agent-3', 'agent-4', 'agent-5'] }))).toEqual({
      found: false,
      reason:
        "agent exited without wg done, and the project folder's changes cannot be told to be its own (other runs worked there meanwhile: agent-2, agent-3, agent-4 and 1 more); report with wg done",
    });
  });
});

describe('ToolWrites', () => {
  const use = (id: string, name: string, input: unknown): RunEvent => ({ type: 'tool_use', id, name, input });
  const failed = (id: string): RunEvent => ({ type: 'tool_result', tool_use_id: id, output: 'denied', is_error: true });

  it("counts Write, Edit, MultiEdit, NotebookEdit and codex's file_change inside the folder, fed as the events come", () => {
    for (const event of [
      use('a', 'Write', { file_path: '/w/a.txt' }),
      use('b', 'Edit', { file_path: 'rel/b.txt' }),
      use('c', 'MultiEdit', { file_path: '/w/c.txt' }),
      use('d', 'NotebookEdit', { notebook_path: '/w/n.ipynb' }),
      use('e', 'file_change', { changes: [{ path: '/w/e.txt' }] }),
    ]) {
      expect(new ToolWrites('/w').add([event]).any()).toBe(true);
    }
  });

  it('does not count a shell command, a failed call, or a file outside the folder', () => {
    const writes = new ToolWrites('/w');
    writes.add([use('a', 'Bash', { command: 'echo x > y' }), use('b', 'Write', { file_path: '/elsewhere/b.txt' })]);
    writes.add([use('c', 'Write', { file_path: '/w/c.txt' })]);
    writes.add([failed('c')]);
    expect(writes.any()).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/message';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg archive` then `wg archive --undo` is a round trip (issue 74, item 3): the graph `wg export` writes afterwards is
 * the one it wrote before, byte for byte, with the archived tasks' messages (and each reader's place in them), their
 * evaluations, and the dependencies the tasks left in the graph had on them. Upstream's undo puts back the archived
 * lines only (src/commands/archive.rs `undo`); its remove_node had taken the dependencies on them out of the others.
 */

/** `wg show --json`: its dependencies as upstream's TaskDetails has them. */
type Shown = Omit<Task, 'after'> & { after: Array<{ id: string; status: string }> };

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-archive-undo-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const EVALUATION = {
  score: 0.82,
  dimensions: { correctness: 0.9, style: 0.7 },
  evaluator: 'evaluator-1',
  notes: 'Solid, a little terse',
  timestamp: '2026-02-01T10:05:00.000Z',
};

/** A graph with what an archive takes away: a done task with everything on it, and tasks that name it. */
async function graph(): Promise<void> {
  await p.importTasks([
    {
      id: 'design',
      status: 'done',
      tags: ['ui', 'v2'],
      description: 'Draw it',
      executor: 'claude',
      model: 'sonnet',
      created_at: '2026-02-01T09:00:00.000Z',
      started_at: '2026-02-01T09:10:00.000Z',
      completed_at: '2026-02-01T10:00:00.000Z',
      results: { url: 'https://example.com/design' },
      artifacts: ['design.md'],
      evaluation: EVALUATION,
      cost_usd: 0.25,
      tokens_in: 1200,
      tokens_out: 300,
      skills: ['figma'],
    },
    { id: 'open-one', created_at: '2026-02-01T09:01:00.000Z' },
    // Left in the graph: it failed (finished, so the archive may take its dependency), and names design in upstream's lists.
    {
      id: 'build',
      status: 'failed',
      after: ['design'],
      requires: ['gpu', 'design'],
      failure_reason: 'broke',
      created_at: '2026-02-01T09:02:00.000Z',
    },
    // Archived with it: its own line keeps its dependency.
    { id: 'review', status: 'done', after: ['design'], created_at: '2026-02-01T09:03:00.000Z', completed_at: '2026-02-01T11:00:00.000Z' },
  ]);
  await p.ok(['log', 'design', 'Chose the grid layout']);
  await p.ok(['msg', 'send', 'design', 'Use the brand colours', '--from', 'lead']);
  await p.ok(['msg', 'send', 'design', 'And the new logo', '--from', 'lead', '--priority', 'urgent']);
  await p.ok(['msg', 'read', 'design', '--agent', 'agent-7']);
  await p.ok(['msg', 'send', 'review', 'Looks good']);
}

describe('wg archive, then wg archive --undo', () => {
  it('gives back the graph wg export wrote before, messages, evaluations and dependencies on them included', async () => {
    await graph();
    const before = await p.ok(['export']);
    const messagesBefore = await p.json<Message[]>(['msg', 'list', 'design']);
    expect(await p.ok(['archive', '--yes'])).toBe('Archived 2 tasks. Use `wg archive --undo` to reverse.');
    // Archived as upstream's archive leaves the others: build no longer depends on design.
    expect((await p.json<Task[]>(['list'])).map((t) => t.id)).toEqual(['open-one', 'build']);
    expect((await p.json<Shown>(['show', 'build'])).after).toEqual([]);
    expect(await p.ok(['archive', '--undo'])).toBe('Restored 2 tasks from last archive batch.');
    expect(await p.ok(['export'])).toBe(before);
    expect(await p.json<Message[]>(['msg', 'list', 'design'])).toEqual(messagesBefore);
    // agent-7 had read the first two: nothing is new to it.
    expect(await p.ok(['msg', 'read', 'design', '--agent', 'agent-7'])).toBe("No unread messages for task 'design' (agent: agent-7)");
    expect((await p.json<Task>(['show', 'design'])).evaluation).toMatchObject({ score: 0.82, notes: 'Solid, a little terse' });
    expect((await p.json<Shown>(['show', 'build'])).after).toEqual([{ id: 'design', status: 'done' }]);
    expect(readFileSync(join(p.root, '.workgraph', 'archive.jsonl'), 'utf8')).toBe('');
  });

  it('wg archive restore brings one back the same way; --reopen opens it, its messages kept', async () => {
    await graph();
    const before = await p.ok(['export']);
    await p.ok(['archive', '--yes']);
    await p.ok(['archive', 'restore', 'design']);
    await p.ok(['archive', 'restore', 'review', '--reopen']);
    const after = await p.ok(['export']);
    const line = (text: string, id: string) =>
      text
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.id === id);
    expect(line(after, 'design')).toEqual(line(before, 'design'));
    expect(line(after, 'build')).toEqual(line(before, 'build'));
    expect(line(after, 'review')).toMatchObject({ status: 'open', completed_at: null, after: ['design'] });
    expect((await p.json<Message[]>(['msg', 'list', 'review'])).map((m) => m.body)).toEqual(['Looks good']);
  });
});

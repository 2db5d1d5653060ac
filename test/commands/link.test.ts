import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg add-dep` and `wg rm-dep` against upstream's own cases (graphwork/workgraph src/commands/link.rs
 * `mod tests`: its run_link and run_unlink are these two commands), each named in its `it`. Run in process
 * through the real command table. A self dependency is refused here as the cycle it is, in this app's words.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-link-');
  await p.ok(['init']);
  for (const id of ['a', 'b', 'c']) await p.ok(['add', `Task ${id.toUpperCase()}`, '--id', `task-${id}`]);
});
afterEach(() => p.remove());

interface Edges {
  after: Array<{ id: string }>;
  before: Array<{ id: string }>;
}
const edges = async (id: string) => {
  const shown = await p.json<Edges>(['show', id]);
  return { after: shown.after.map((d) => d.id), before: shown.before.map((d) => d.id) };
};

describe('wg add-dep / wg rm-dep (upstream link.rs)', () => {
  it('link_creates_dependency: the task comes after the dependency, which lists it before', async () => {
    // Upstream's run_link line.
    expect(await p.ok(['add-dep', 'task-a', 'task-b'])).toBe("Linked: 'task-a' now depends on 'task-b'");
    expect((await edges('task-a')).after).toEqual(['task-b']);
    expect((await edges('task-b')).before).toEqual(['task-a']);
  });

  it("add-after, upstream's other name of add-dep (cli.rs's alias)", async () => {
    expect(await p.ok(['add-after', 'task-a', 'task-b'])).toBe("Linked: 'task-a' now depends on 'task-b'");
    expect((await edges('task-a')).after).toEqual(['task-b']);
  });

  it('link_idempotent: a second add-dep changes nothing', async () => {
    await p.ok(['add-dep', 'task-a', 'task-b']);
    expect(await p.ok(['add-dep', 'task-a', 'task-b'])).toBe("'task-a' already depends on 'task-b' — no change");
    expect((await edges('task-a')).after).toEqual(['task-b']);
  });

  it('link_self_rejected / link_nonexistent_task_rejected: one line, nonzero exit, nothing changed', async () => {
    const self = await p.wg(['add-dep', 'task-a', 'task-a']);
    expect(self.exitCode).not.toBe(0);
    expect(self.stderr).toBe("wg: task 'task-a' cannot depend on itself");
    const missing = await p.wg(['add-dep', 'task-a', 'nonexistent']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toBe("wg: task 'nonexistent' not found");
    expect(await edges('task-a')).toEqual({ after: [], before: [] });
  });

  it('unlink_removes_dependency: both ends of the edge go', async () => {
    await p.ok(['add-dep', 'task-a', 'task-b']);
    expect(await p.ok(['rm-dep', 'task-a', 'task-b'])).toBe("Unlinked: 'task-a' no longer depends on 'task-b'");
    expect((await edges('task-a')).after).toEqual([]);
    expect((await edges('task-b')).before).toEqual([]);
  });

  it("unlink_nonexistent_edge_is_noop: no error, nothing changed, and upstream's line says so (a missing task is still refused)", async () => {
    const rev = (await p.json<{ rev: number }>(['show', 'task-a'])).rev;
    const result = await p.wg(['rm-dep', 'task-a', 'task-b']);
    // On stdout, as upstream prints it: a `wg: …` line on stderr reads as an error that exited 0.
    expect(result).toMatchObject({ exitCode: 0, stdout: "'task-a' does not depend on 'task-b' — no change", stderr: '' });
    expect((await p.json<{ rev: number }>(['show', 'task-a'])).rev).toBe(rev);
    expect(await p.wg(['rm-dep', 'task-a', 'nonexistent'])).toMatchObject({ exitCode: 3, stderr: "wg: task 'nonexistent' not found" });
  });

  it('link_multiple_dependencies / unlink_one_keeps_other', async () => {
    await p.ok(['add-dep', 'task-a', 'task-b']);
    await p.ok(['add-dep', 'task-a', 'task-c']);
    expect((await edges('task-a')).after).toEqual(['task-b', 'task-c']);
    await p.ok(['rm-dep', 'task-a', 'task-b']);
    expect((await edges('task-a')).after).toEqual(['task-c']);
    expect((await edges('task-b')).before).toEqual([]);
    expect((await edges('task-c')).before).toEqual(['task-a']);
  });
});

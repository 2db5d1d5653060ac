import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it } from 'vitest';
import { WgError } from '../../src/shared/errors';
import { TASK_STATUSES, type TaskStatus } from '../../src/shared/task';
import { requireTaskRow } from '../../src/core/store/task-reads';
import { transition } from '../../src/core/store/task-writes';
import { wrongBlockerCounts } from '../../src/core/store/dependency-writes';
import { readyByRule } from '../helpers/ready-by-rule';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';
import { seededRandom } from '../helpers/seeded-random';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  describe("upstream's readiness rules, materialized", () => {
    it('agree with the pure rule through random changes among system tasks, evaluation gates and every status', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const now = new Date('2026-03-01T12:00:00Z');
      const random = seededRandom(11);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const regular = ['a', 'b', 'c', 'd', 'e', 'f'];
      // Every status, system tasks of both kinds, and a dependency on a task not in the graph.
      await store.importJsonl(
        [
          ...regular.map((id, i) =>
            JSON.stringify({ kind: 'task', id, title: id, status: 'open', after: regular.slice(0, i).filter(() => random() < 0.4) }),
          ),
          JSON.stringify({ kind: 'task', id: '.assign-c', title: 'assign', status: 'open' }),
          JSON.stringify({ kind: 'task', id: 'g', title: 'g', status: 'open', after: ['.assign-c', 'ghost'] }),
        ].join('\n'),
      );
      const setStatus = (id: string, status: TaskStatus) =>
        store.core.write(async (rev) => transition(store.core, await requireTaskRow(store.core, id), { status }, rev));
      const setWorkToMerge = (id: string, flag: number) =>
        store.core.write(async (rev) => {
          const key = `wt-${id}`;
          if (!(await store.worktrees.find(key))) {
            const where = { path: `/tmp/${key}`, branch: `wg/${key}`, base_branch: 'main', base_commit: 'c0ffee' };
            await store.worktrees.insert({ id: key, task_id: id, agent_id: `agent-${id}`, owner: 'agent', ...where }, rev);
          }
          await store.worktrees.update(key, { state: 'active', merge_at_end: flag }, rev);
        });
      const doneOne = async (): Promise<string | null> => {
        const rows = await sqlText<{ id: string }>(store.core, "SELECT id FROM tasks WHERE status = 'done'").all();
        const done = regular.filter((r) => rows.some((row) => row.id === r));
        return done.length > 0 ? pick(done) : null;
      };
      let readySeen = 0;
      for (let step = 0; step < 500; step++) {
        const ids = (await store.list()).map((t) => t.id);
        const id = pick(ids);
        const target = pick(regular);
        const action = Math.floor(random() * 10);
        try {
          // Half the time back to open, so readiness keeps depending on the dependencies.
          if (action === 0) await setStatus(id, random() < 0.5 ? 'open' : pick(TASK_STATUSES));
          else if (action === 6)
            await setStatus(pick(regular), pick(['done', 'pending-eval', 'failed-pending-eval', 'failed', 'open', 'abandoned'] as const));
          else if (action === 1) await store.tasks.addDependency(id, pick(ids));
          else if (action === 2) await store.tasks.removeDependency(id, pick([...ids, 'ghost']));
          // An evaluation task appears (open: it gates the regular dependents of its task) …
          else if (action === 3 && !ids.includes(`.evaluate-${target}`)) {
            await store.tasks.add({ title: 'evaluate', id: `.evaluate-${target}`, after: random() < 0.5 ? [target] : [] }, 'test');
          } else if (action === 4) await store.tasks.add({ title: `late ${step}`, after: [pick(ids)] }, 'test');
          // … and the task a dependency named before it existed.
          else if (action === 5 && !ids.includes('ghost')) await store.tasks.add({ title: 'ghost', id: 'ghost' }, 'test');
          // A task after both X and `.evaluate-X` (each step of either moved its count twice once).
          else if (action === 7 && ids.includes(`.evaluate-${target}`)) {
            await store.tasks.add({ title: `after both ${step}`, after: [target, `.evaluate-${target}`] }, 'test');
          }
          // A done task's agent work to merge at the run's end held (as the sync holds it, of a task becoming done), or
          // let go by the flag or by the worktree's state; any status change later lets it go too.
          else if (action === 8) {
            const done = await doneOne();
            if (done !== null) await setWorkToMerge(done, random() < 0.7 ? 1 : 0);
          } else if (action === 9) {
            const key = `wt-${(await doneOne()) ?? target}`;
            if (await store.worktrees.find(key))
              await store.worktrees.change(key, { state: pick(['active', 'merged', 'removed'] as const) });
          }
        } catch (error) {
          if (!(error instanceof WgError)) throw error;
        }
        const ready = (await store.ready()).map((t) => t.id).sort();
        expect(ready, `after step ${step}`).toEqual(await readyByRule(store, now));
        // Every kept count, not only those that decide readiness now.
        expect(await wrongBlockerCounts(store.core), `after step ${step}`).toEqual([]);
        readySeen += ready.length;
      }
      // The walk must have met ready and waiting tasks alike to prove anything.
      expect(readySeen).toBeGreaterThan(500);
      // 500 random steps: 12–15 s alone, past 120 s once beside a fault test and the rest of the suite.
    }, 300_000);

    it("hold every dependent of a done task whose agent's work is still to merge, until it is merged or the done undone", async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.importJsonl(
        [
          '{"kind":"task","id":"x","title":"X","status":"in-progress"}',
          '{"kind":"task","id":"next","title":"Next","status":"open","after":["x"]}',
          '{"kind":"task","id":".verify-x","title":"Verify X","status":"open","after":["x"]}',
        ].join('\n'),
      );
      const where = { path: '/tmp/wt-x', branch: 'wg/agent-1/x', base_branch: 'main', base_commit: 'c0ffee' };
      await store.core.write((rev) =>
        store.worktrees.insert({ id: 'wt-x', task_id: 'x', agent_id: 'agent-1', owner: 'agent', ...where }, rev),
      );
      const setStatus = (status: TaskStatus) =>
        store.core.write(async (rev) => transition(store.core, await requireTaskRow(store.core, 'x'), { status }, rev));
      // As the sync takes in a done while the run works: the status and the hold in one write.
      const doneWhileWorking = () =>
        store.core.write(async (rev) => {
          await transition(store.core, await requireTaskRow(store.core, 'x'), { status: 'done' }, rev);
          await store.worktrees.update('wt-x', { merge_at_end: 1 }, rev);
        });
      await doneWhileWorking();
      expect((await store.ready()).map((t) => t.id)).toEqual([]);
      expect(await wrongBlockerCounts(store.core)).toEqual([]);
      // Abandoned, the done the work was held for no longer stands: let go, and not held again by a later done.
      await setStatus('abandoned');
      expect((await store.ready()).map((t) => t.id)).toEqual(['next', '.verify-x']);
      expect((await store.worktrees.get('wt-x')).merge_at_end).toBe(0);
      await setStatus('open');
      expect((await store.ready()).map((t) => t.id)).toEqual(['x']);
      await setStatus('done');
      expect((await store.ready()).map((t) => t.id)).toEqual(['next', '.verify-x']);
      // Held again, then merged: let go.
      await setStatus('in-progress');
      await doneWhileWorking();
      expect((await store.ready()).map((t) => t.id)).toEqual([]);
      await store.worktrees.change('wt-x', { state: 'merged', merge_commit: 'beef' });
      expect((await store.ready()).map((t) => t.id)).toEqual(['next', '.verify-x']);
      expect((await store.worktrees.get('wt-x')).merge_at_end).toBe(0);
      expect(await wrongBlockerCounts(store.core)).toEqual([]);
      // Held, then a line imported (`wg import`) takes the task out of done: let go there too.
      await store.worktrees.change('wt-x', { state: 'active' });
      await setStatus('in-progress');
      await doneWhileWorking();
      await store.importJsonl('{"kind":"task","id":"x","title":"X","status":"open"}');
      expect((await store.worktrees.get('wt-x')).merge_at_end).toBe(0);
      await setStatus('done');
      expect((await store.ready()).map((t) => t.id)).toEqual(['next', '.verify-x']);
      expect(await wrongBlockerCounts(store.core)).toEqual([]);
    });

    it('let the evaluation of a task awaiting it run, but hold its regular dependents', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.importJsonl(
        [
          '{"kind":"task","id":"x","title":"X","status":"pending-eval"}',
          '{"kind":"task","id":"next","title":"Next","status":"open","after":["x"]}',
          '{"kind":"task","id":".evaluate-x","title":"Evaluate X","status":"open","after":["x"]}',
        ].join('\n'),
      );
      expect((await store.ready()).map((t) => t.id)).toEqual(['.evaluate-x']);
      // The evaluation promotes X to done, but while .evaluate-x is not finished the gate holds.
      await store.core.write(async (rev) => transition(store.core, await requireTaskRow(store.core, 'x'), { status: 'done' }, rev));
      expect((await store.ready()).map((t) => t.id)).toEqual(['.evaluate-x']);
      await store.tasks.done('.evaluate-x', {}, 'evaluator');
      expect((await store.ready()).map((t) => t.id)).toEqual(['next']);
    });
  });
});

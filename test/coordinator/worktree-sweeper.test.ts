import { sqlText } from '../helpers/sql-text';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorktreeSweeper } from '../../src/core/coordinator/worktree-sweeper';
import { projectPaths } from '../../src/core/project';
import type { Store } from '../../src/core/store/store';
import { storesPerTest } from '../helpers/temp-store';
import { inFlight } from '../../src/core/store/in-flight';

const newStore = storesPerTest('sqlite');

/**
 * The SQL texts the store runs until the sweep asked for now is over (it starts after a turn of the event loop): asked
 * for by itself, or from inside a coordinator's turn (its first question asked in the turn's transaction, the sweep
 * asked for once that has committed).
 */
async function sweepOnce(store: Store, dir: string, how: 'alone' | 'in a turn' = 'alone') {
  const seen: string[] = [];
  const statement = store.core.statement.bind(store.core);
  store.core.statement = ((text: string) => {
    seen.push(text);
    return statement(text);
  }) as typeof store.core.statement;
  const log = {
    info: (_line: string) => undefined,
    errors: [] as string[],
    error(line: string) {
      this.errors.push(line);
    },
  };
  const sweeper = new WorktreeSweeper({ store, paths: projectPaths(join(dir, '.workgraph')) }, log);
  try {
    if (how === 'alone') sweeper.request();
    else {
      const asked = await store.core.batch(async () => ({ anyLeft: inFlight(sweeper.anyLeft()) }));
      sweeper.requestAfter(asked.anyLeft);
    }
    await new Promise((resolve) => setImmediate(resolve));
    await sweeper.stop();
  } finally {
    store.core.statement = statement;
  }
  return { seen, errors: log.errors };
}

/** The sweep's list of every worktree (sweep.ts). */
const fullList = (text: string) => /^select \* from "?worktrees"?/i.test(text);

/** Agent-1's worktree of task a, as its run's start records it. */
async function agentWorktree(t: { store: Store; dir: string }, rev: number): Promise<void> {
  await t.store.worktrees.insert(
    {
      id: 'agent-1',
      task_id: 'a',
      agent_id: 'agent-1',
      path: join(t.dir, 'agent-1'),
      branch: 'wg/agent-1',
      base_branch: 'main',
      base_commit: 'abc',
      owner: 'agent',
    },
    rev,
  );
}

describe('the worktree sweep after runs end', () => {
  it.each(['alone', 'in a turn'] as const)(
    'with no agent worktree left, ends at one row, without the sweep (asked for %s)',
    async (how) => {
      const t = await newStore();
      await t.store.tasks.add({ title: 'a', id: 'a', exec: 'true' }, 'test');
      // A person's worktree, and an agent's already removed: nothing for the sweep.
      await t.store.core.write(async (rev) => {
        await t.store.worktrees.insert(
          {
            id: 'mine',
            task_id: 'a',
            agent_id: null,
            path: join(t.dir, 'mine'),
            branch: 'wg/mine',
            base_branch: 'main',
            base_commit: 'abc',
            owner: 'person',
          },
          rev,
        );
        await agentWorktree(t, rev);
        await sqlText(t.store.core, "UPDATE worktrees SET state = 'removed' WHERE id = 'agent-1'").run();
      });
      const { seen, errors } = await sweepOnce(t.store, t.dir, how);
      expect(seen.filter(fullList)).toEqual([]);
      expect(seen).toHaveLength(1);
      expect(errors).toEqual([]);
    },
  );

  it.each(['alone', 'in a turn'] as const)("sweeps as before when an agent's worktree is there (asked for %s)", async (how) => {
    const t = await newStore();
    await t.store.tasks.add({ title: 'a', id: 'a', exec: 'true' }, 'test');
    await t.store.core.write((rev) => agentWorktree(t, rev));
    const { seen, errors } = await sweepOnce(t.store, t.dir, how);
    expect(seen.filter(fullList)).toHaveLength(1);
    // The temporary folder is no git repository: the sweep goes as far as asking git, and says so.
    expect(errors.join('\n')).toMatch(/worktree sweep/);
  });

  it('with the database away, says so in one line and throws nothing out of its turn of the event loop', async () => {
    const t = await newStore();
    const statement = t.store.core.statement.bind(t.store.core);
    t.store.core.statement = (() => {
      throw new Error('lost the connection to the PostgreSQL server; try again');
    }) as unknown as typeof t.store.core.statement;
    try {
      const { errors } = await sweepOnce(t.store, t.dir);
      expect(errors).toEqual(['worktree sweep: lost the connection to the PostgreSQL server; try again']);
    } finally {
      t.store.core.statement = statement;
    }
  });
});

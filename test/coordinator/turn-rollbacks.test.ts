import { describe, expect, it } from 'vitest';
import { TurnTransactions } from '../../src/core/coordinator/turn-transaction';
import { WakeTimers } from '../../src/core/coordinator/wake-timers';
import type { WorktreeSweeper } from '../../src/core/coordinator/worktree-sweeper';
import { projectPaths } from '../../src/core/project';
import { PipelinedWriteError, StalePlanError } from '../../src/core/store/sql-connection';
import { WgError } from '../../src/shared/errors';
import { storesPerTest } from '../helpers/temp-store';

/*
 * What a turn that did not commit means for the next one (turn-transaction.ts): a planned turn whose snapshot the
 * project moved on from (StalePlanError) is taken again at once, quietly, and whole (planWentStale: a plan again could go
 * stale again where others commit often), as a pipelined one that met a failure is taken again at once; any other
 * failure is said, and the turn waits for its retry.
 */
describe('a turn undone', () => {
  const newStore = storesPerTest('sqlite');

  async function transactions(): Promise<{ turns: TurnTransactions; said: string[] }> {
    const { store, dir } = await newStore();
    const said: string[] = [];
    const log = {
      info: (line: string) => said.push(line),
      warn: (line: string) => said.push(line),
      error: (line: string) => said.push(line),
    };
    const turns = new TurnTransactions({
      store,
      paths: projectPaths(dir),
      log,
      timers: new WakeTimers(() => {}),
      sweeper: { request: () => {}, requestAfter: () => {}, anyLeft: async () => false } as unknown as WorktreeSweeper,
    });
    return { turns, said };
  }

  it.each([
    ['its plan stale', new StalePlanError(), true],
    ['a pipelined write failed', new PipelinedWriteError('conflict', 'a write failed'), false],
  ])('is taken again at once, and nothing said, when %s', async (_, error, whole) => {
    const { turns, said } = await transactions();
    expect(
      await turns.run(async () => {
        throw error;
      }),
    ).toBeNull();
    expect(turns.againAtOnce).toBe(true);
    expect(turns.planWentStale).toBe(whole);
    expect(said).toEqual([]);
  });

  it('is said, and waits for its retry, when it failed for anything else', async () => {
    const { turns, said } = await transactions();
    expect(
      await turns.run(async () => {
        throw new WgError('invalid', 'a fault of the work');
      }),
    ).toBeNull();
    expect(turns.againAtOnce).toBe(false);
    expect(said).toEqual(['coordinator turn failed: a fault of the work']);
  });
});

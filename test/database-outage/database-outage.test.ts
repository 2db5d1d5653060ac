import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatabaseOutage } from '../../src/core/database-outage/database-outage';
import { DatabaseUnreachableError } from '../../src/core/store/sql-connection';

/*
 * The coordinator's one view of its database's outages: said once when it begins and once when it ends, retried
 * with a backoff that grows, and the writes that waited made in the order they came, once, when it answers again.
 * The errors are the kind the store throws for a server it cannot reach (connection-lost.process.test.ts checks the
 * store really throws them); the clock is vitest's, advanced with the promises each step settles.
 */

const LOST = new DatabaseUnreachableError(
  'cannot reach the PostgreSQL server of postgresql://db/team (connection refused); is it running?',
);

let lines: string[];
let serverUp: boolean;
let probes: number;

function outage(): DatabaseOutage {
  return new DatabaseOutage({
    probe: async () => {
      probes++;
      if (!serverUp) throw LOST;
    },
    log: {
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
    },
  });
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
  lines = [];
  serverUp = false;
  probes = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a database outage, as the coordinator keeps it', () => {
  it('takes only a lost connection, says it once however often it is met, and once that the database answers again', async () => {
    const o = outage();
    expect(o.noted(new Error('PostgreSQL refused a statement (42703): column "x" does not exist'))).toBe(false);
    expect(o.status()).toBeNull();
    expect(o.noted(LOST)).toBe(true);
    expect(o.noted(LOST)).toBe(true);
    await advance(20_000);
    expect(o.noted(LOST)).toBe(true);
    expect(lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn the database cannot be reached \(cannot reach the PostgreSQL server of postgresql:\/\/db\/team/);
    expect(o.status()).toMatchObject({ last_error: LOST.message, waiting: 0 });
    serverUp = true;
    await advance(5_000);
    expect(o.status()).toBeNull();
    const back = lines.filter((l) => l.startsWith('info'));
    expect(back).toHaveLength(1);
    // At the first retry after the server came back (at 20 s), a retry's wait being 5 s at most.
    expect(Number(/^info the database answers again, after (\d+) s$/.exec(back[0] ?? '')?.[1])).toBeGreaterThanOrEqual(20);
    expect(Number(/after (\d+) s/.exec(back[0] ?? '')?.[1])).toBeLessThanOrEqual(25);
  });

  it('tries again with a wait that doubles, up to a few seconds', async () => {
    const o = outage();
    o.noted(LOST);
    const at: number[] = [];
    for (let ms = 0; ms <= 30_000; ms += 50) {
      const before = probes;
      await advance(50);
      if (probes > before) at.push(ms + 50);
    }
    const waits = at.map((t, i) => t - (at[i - 1] ?? 0));
    expect(waits.slice(0, 6)).toEqual([250, 500, 1000, 2000, 4000, 5000]);
    expect(Math.max(...waits)).toBe(5000);
  });

  it('makes the writes that waited once, in the order they came, when the database answers; one that meets it away again waits first in line', async () => {
    const o = outage();
    const made: string[] = [];
    let firstFailsOnce = true;
    o.noted(LOST);
    o.whenBack('first', async () => {
      if (!serverUp) throw LOST;
      if (firstFailsOnce) {
        firstFailsOnce = false;
        throw LOST;
      }
      made.push('first');
    });
    o.whenBack('second', async () => {
      made.push('second');
    });
    expect(o.status()?.waiting).toBe(2);
    await advance(10_000);
    expect(made).toEqual([]);
    serverUp = true;
    await advance(5_000);
    // The first failed once more after the server came back: still first, and made before the second.
    await advance(5_000);
    expect(made).toEqual(['first', 'second']);
    expect(o.status()).toBeNull();
    expect(lines.at(-1)).toMatch(/^info the database answers again, after 1\d s: 2 write\(s\) that waited for it are made$/);
    await advance(60_000);
    expect(made).toEqual(['first', 'second']);
  });

  it('is over at once when another part reaches the database (a renewal of the lease), without waiting for its own retry', async () => {
    const o = outage();
    const made: string[] = [];
    o.noted(LOST);
    await advance(10_000);
    o.whenBack('a job end', async () => {
      made.push('a job end');
    });
    serverUp = true;
    await o.reached();
    expect(made).toEqual(['a job end']);
    expect(o.status()).toBeNull();
  });

  it('does what waited once when the lease and its own retry find the database at the same moment, each write after the one before it ended', async () => {
    const o = outage();
    const made: string[] = [];
    let underWay = 0;
    o.noted(LOST);
    for (const what of ['a', 'b', 'c']) {
      o.whenBack(what, async () => {
        underWay++;
        expect(underWay).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        made.push(what);
        underWay--;
      });
    }
    serverUp = true;
    // The lease's renewal reaches the database just as the retry's timer fires.
    const renewal = o.reached();
    await advance(1_000);
    await renewal;
    expect(made).toEqual(['a', 'b', 'c']);
    expect(lines.filter((l) => l.startsWith('info'))).toHaveLength(1);
  });

  it('a write that fails for a reason of its own once the database answers is said, and does not hold up the others', async () => {
    const o = outage();
    const made: string[] = [];
    o.noted(LOST);
    o.whenBack('a broken write', async () => {
      throw new Error('PostgreSQL refused a statement (23505): duplicate key');
    });
    o.whenBack('a good write', async () => {
      made.push('good');
    });
    serverUp = true;
    await advance(1_000);
    expect(made).toEqual(['good']);
    expect(lines).toContain(
      'error a broken write failed once the database answered again: PostgreSQL refused a statement (23505): duplicate key',
    );
  });

  it('closed (the coordinator stopping), it retries nothing and says nothing more', async () => {
    const o = outage();
    const made: string[] = [];
    o.noted(LOST);
    o.whenBack('w', async () => {
      made.push('w');
    });
    o.close();
    serverUp = true;
    await advance(60_000);
    expect(o.noted(LOST)).toBe(true);
    expect(made).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { TurnFailures } from '../../src/core/coordinator/turn-failures';

describe('failed coordinator turns in the log', () => {
  it('says a reason once while it repeats, a new reason at once, and the recovery with the count', () => {
    const failures = new TurnFailures();
    expect(failures.committed()).toBeNull();
    expect(failures.failed('disk I/O error')).toEqual({ level: 'error', line: 'coordinator turn failed: disk I/O error' });
    expect(failures.failed('disk I/O error')).toBeNull();
    expect(failures.failed('the disk is full')).toEqual({ level: 'error', line: 'coordinator turn failed: the disk is full' });
    expect(failures.committed()).toBe('coordinator turns commit again (3 in a row could not)');
    expect(failures.committed()).toBeNull();
    // After a recovery the same reason is news again.
    expect(failures.failed('disk I/O error')).toEqual({ level: 'error', line: 'coordinator turn failed: disk I/O error' });
  });

  it('says a turn that gave way to another writer at info, with how many did, and no recovery after a single one', () => {
    const failures = new TurnFailures();
    const busy = "another process held the project's write turn for too long; try again";
    expect(failures.failed(busy, true)).toEqual({
      level: 'info',
      line: `coordinator turn gave way to another writer and is taken again (1 so far): ${busy}`,
    });
    // One turn that gave way and then committed: the ordinary taking of turns, nothing to recover from.
    expect(failures.committed()).toBeNull();
    expect(failures.failed(busy, true)?.line).toContain('(2 so far)');
    expect(failures.failed(busy, true)).toBeNull();
    expect(failures.failed(busy, true)).toBeNull();
    expect(failures.committed()).toBe('coordinator turns commit again (3 in a row gave way to other writers)');
    expect(failures.failed(busy, true)).toEqual({ level: 'info', line: expect.stringContaining('(5 so far)') });

    // A fault among them is an error, and the recovery counts every turn that could not commit.
    expect(failures.failed('the disk is full')).toEqual({ level: 'error', line: 'coordinator turn failed: the disk is full' });
    expect(failures.committed()).toBe('coordinator turns commit again (2 in a row could not)');
  });
});

import { describe, expect, it } from 'vitest';
import { TurnFailures } from '../../src/core/coordinator/turn-failures';

describe('failed coordinator turns in the log', () => {
  it('says a reason once while it repeats, a new reason at once, and the recovery with the count', () => {
    const failures = new TurnFailures();
    expect(failures.committed()).toBeNull();
    expect(failures.failed('database is locked')).toBe('coordinator turn failed: database is locked');
    expect(failures.failed('database is locked')).toBeNull();
    expect(failures.failed('disk I/O error')).toBe('coordinator turn failed: disk I/O error');
    expect(failures.committed()).toBe('coordinator turns commit again (3 in a row could not)');
    expect(failures.committed()).toBeNull();
    // After a recovery the same reason is news again.
    expect(failures.failed('database is locked')).toBe('coordinator turn failed: database is locked');
  });
});

import { describe, expect, it } from 'vitest';
import { processAlive } from '../../../src/core/processes/process-group';

/* How `wg kill`, `wg agents` and `wg dead-agents` tell a run's process is alive, against upstream's own case. */

describe('processAlive (upstream kill.rs)', () => {
  it('test_is_process_alive: this process is alive; a pid no process has (above the kernel pid_max) is not', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(999_999_999)).toBe(false);
  });
});

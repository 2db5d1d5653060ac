import { execFileSync } from 'node:child_process';

/**
 * A `sleep` no other process on the machine runs (its seconds carry this test process's pid), for a test's run to
 * leave behind: found with ps, ended with pkill whatever became of it (a session of its own, a cleared environment).
 */
export function markedSleep(seconds: number) {
  const mark = `${seconds}.${process.pid}`;
  return {
    mark,
    /** `sleep <mark>`, for a command line. */
    command: `sleep ${mark}`,
    /** The ps lines of those still running. */
    running: (): string[] =>
      execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(`sleep ${mark}`) && !line.includes('pkill')),
    /** Ends every one left (none left is as it should be). */
    killAll: (): void => {
      try {
        execFileSync('pkill', ['-f', `sleep ${mark}`]);
      } catch {
        // None left.
      }
    },
  };
}

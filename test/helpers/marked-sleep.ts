import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { DaemonProject } from '../service/helpers/daemon-project';

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

/**
 * A daemon project for a test whose runs leave a marked sleep behind: made before the file's tests (its safety-net
 * look an hour apart, so only what a test does wakes the coordinator), and removed after them with every such sleep
 * ended, whatever the tests left.
 */
export function projectLeavingSleeps(prefix: string, seconds: number, after?: () => Promise<void>) {
  const sleeper = markedSleep(seconds);
  const project = new DaemonProject(prefix);
  beforeAll(async () => {
    await project.init();
    await project.ok(['config', '--poll-interval', '3600']);
  });
  afterAll(async () => {
    sleeper.killAll();
    await project.remove();
    await after?.();
  });
  return { project, sleeper };
}

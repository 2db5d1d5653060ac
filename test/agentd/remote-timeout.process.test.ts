import { describe, expect, it } from 'vitest';
import { coordinatorWithDaemon } from './helpers/coordinator-with-daemon';

/**
 * A remote task's own `--timeout`, with a real coordinator and a real `wg agentd`: its job is sent with it as its
 * timeout_s, the daemon stops the job then, and the run ends as a timed-out run, as a local one does. It used to be
 * sent the executor's or the project's timeout only: a 2 s task ran its 10 s job to the end and was done.
 */
const { p, jobs } = coordinatorWithDaemon('timeout', {
  host: 'box',
  env: { MAX_JOBS: '2', CLI_COMMAND: 'sh', CLI_ARGS_TEMPLATE: `-c 'sleep 10'` },
});

describe("a remote task's own --timeout", () => {
  it('stops its job on the daemon then, and the run ends timed out', async () => {
    const started = Date.now();
    await p.ok([
      'add',
      'Slow remote',
      '--id',
      'slow',
      '--executor',
      'remote',
      '--repo',
      'acme/app',
      '--timeout',
      '2s',
      '--max-retries',
      '0',
    ]);
    const task = await p.waitFor('slow settled', async () => {
      const t = await p.task('slow');
      return t.status === 'failed' || t.status === 'done' ? t : null;
    });
    // Well before the job's 10 s: the daemon stopped it at 2 s.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(task).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/^timed out after \d s$/) });
    expect((await jobs('slow')).map((j) => [j.state, j.outcome])).toEqual([['failed', 'timeout: timed out after 2 s']]);
    expect((await p.agentsOf('slow')).map((a) => a.state)).toEqual(['failed']);
  }, 120_000);
});

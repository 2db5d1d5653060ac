import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, RemoteJob, RemoteStatus } from '../../src/shared/remote-types';
import { Store } from '../../src/core/store/store';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd } from './helpers/agentd-process';

/**
 * A remote task's own `--timeout`, with a real coordinator and a real `wg agentd`: its job is sent with it as its
 * timeout_s, the daemon stops the job then, and the run ends as a timed-out run, as a local one does. It used to be
 * sent the executor's or the project's timeout only: a 2 s task ran its 10 s job to the end and was done.
 */
const p = new DaemonProject('wg-agentd-timeout-');
const repo = makeRepo('wg-repo-timeout-');
let reader: Store;

const jobs = (taskId: string): RemoteJob[] =>
  reader.core.sql<RemoteJob>('SELECT * FROM remote_jobs WHERE task_id = ? ORDER BY created_at').all(taskId);

beforeAll(async () => {
  await p.init();
  const token = await p.json<CreatedAgentToken>(['token', 'create', 'box']);
  const started = await p.start();
  const url = (started.url ?? '').replace(/\/#token=.*$/, '');
  reader = new Store(p.paths.db);
  startAgentd('box', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: url,
    WG_AGENT_TOKEN: token.token,
    REPO_PATHS: `acme/app=${repo}`,
    MAX_JOBS: '2',
    CLI_COMMAND: 'sh',
    CLI_ARGS_TEMPLATE: `-c 'sleep 10'`,
  });
  await waitFor('the daemon registered', async () => (await p.json<RemoteStatus>(['agentd', 'status'])).daemons.length === 1);
});

afterAll(async () => {
  killMarked();
  reader?.close();
  await p.remove();
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
    const task = await p.waitFor('slow settled', () => {
      const t = p.task('slow');
      return t.status === 'failed' || t.status === 'done' ? t : null;
    });
    // Well before the job's 10 s: the daemon stopped it at 2 s.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(task).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/^timed out after \d s$/) });
    expect(jobs('slow').map((j) => [j.state, j.outcome])).toEqual([['failed', 'timeout: timed out after 2 s']]);
    expect(p.agentsOf('slow').map((a) => a.state)).toEqual(['failed']);
  }, 30_000);
});

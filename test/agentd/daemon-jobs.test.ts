import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignedMessage } from '../../src/shared/agent-protocol';
import { FakeCoordinator } from './helpers/fake-coordinator';
import { killMarked, makeRepo, markedRunning, startAgentd, type AgentdProcess } from './helpers/agentd-process';

/** A real `wg agentd` process, its jobs sent by the test playing the coordinator. */
let coordinator: FakeCoordinator;
let daemon: AgentdProcess;
const repo = makeRepo('wg-agentd-jobs-');
const outside = mkdtempSync(join(tmpdir(), 'wg-agentd-outside-'));
let n = 0;

// What the "CLI" does comes from the task id.
const SCRIPT = [
  'case "$WG_TASK_ID" in',
  '  tree) (sleep 300 & sleep 301 & wait) ;;',
  '  broken) echo "error: the model refused: bad request" >&2; exit 3 ;;',
  '  quota) echo "Claude AI usage limit reached|4102444800" >&2; exit 1 ;;',
  '  *) echo "ok $WG_TASK_ID$WG_AGENT_TOKEN" ;;',
  'esac',
].join('\n');

function job(taskId: string, repoName: string, patch: Partial<AssignedMessage> = {}): AssignedMessage {
  n++;
  return {
    type: 'ticket.assigned',
    lease_id: n.toString(16).padStart(32, '0'),
    job_id: `agent-${n}`,
    task: { id: taskId, title: taskId, description: '', tags: [] },
    prompt: 'do it',
    repo: repoName,
    role: 'dev',
    model: null,
    timeout_s: null,
    ...patch,
  };
}

beforeAll(async () => {
  coordinator = await FakeCoordinator.start();
  symlinkSync(outside, join(repo, 'escape'));
  mkdirSync(join(outside, 'acme'), { recursive: true });
  daemon = startAgentd('jobs', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: coordinator.url,
    WG_AGENT_TOKEN: 'wga_test',
    REPO_PATHS: `acme/app=${repo}`,
    ROLES: 'dev',
    MAX_JOBS: '4',
    TICKET_TIMEOUT_SECONDS: '2',
    CLI_COMMAND: 'sh',
    CLI_ARGS_TEMPLATE: `-c '${SCRIPT}'`,
  });
  await coordinator.next('agent.register');
});
afterAll(async () => {
  killMarked();
  await coordinator.close();
});

describe('wg agentd jobs', () => {
  it('registers what it has', async () => {
    expect(await coordinator.next('agent.register')).toMatchObject({
      host: 'jobs',
      roles: ['dev'],
      repos: ['acme/app'],
      capacity: 4,
      jobs: [],
    });
  });

  it('refuses a job for a repository outside REPO_PATHS, path tricks included', async () => {
    const tricks = ['acme/other', 'acme/app/../../etc', outside, join(repo, 'escape'), '/etc', 'acme/app/'];
    for (const name of tricks) {
      const assigned = job('trick', name);
      coordinator.send(assigned);
      const refused = await coordinator.next('ticket.fail', (m) => m.lease_id === assigned.lease_id);
      expect(refused.kind).toBe('refused');
      expect(refused.reason).toContain("is not one of this daemon's REPO_PATHS (acme/app)");
    }
    // The exact path of a listed repository is the same repository.
    const byPath = job('ok-path', repo);
    coordinator.send(byPath);
    expect(await coordinator.next('ticket.result', (m) => m.lease_id === byPath.lease_id)).toMatchObject({ output: 'ok ok-path' });
    const wrongRole = job('role', 'acme/app', { role: 'ops' });
    coordinator.send(wrongRole);
    expect((await coordinator.next('ticket.fail', (m) => m.lease_id === wrongRole.lease_id)).reason).toBe(
      "role 'ops' is not one of this daemon's ROLES (dev)",
    );
  });

  it('kills the whole process tree past TICKET_TIMEOUT and fails the job "timeout"', async () => {
    const assigned = job('tree', 'acme/app');
    coordinator.send(assigned);
    await coordinator.next('ticket.claim', (m) => m.lease_id === assigned.lease_id);
    const failed = await coordinator.next('ticket.fail', (m) => m.lease_id === assigned.lease_id);
    expect(failed).toMatchObject({ kind: 'timeout', reason: 'timeout' });
    expect(markedRunning('sleep 300') || markedRunning('sleep 301')).toBe(false);
  });

  it("a nonzero exit fails with the CLI's own error message", async () => {
    const assigned = job('broken', 'acme/app');
    coordinator.send(assigned);
    expect(await coordinator.next('ticket.fail', (m) => m.lease_id === assigned.lease_id)).toMatchObject({
      kind: 'exit',
      exit_code: 3,
      reason: 'error: the model refused: bad request',
    });
  });

  it('a quota error downgrades the daemon until the reset time the CLI named', async () => {
    const assigned = job('quota', 'acme/app');
    coordinator.send(assigned);
    const failed = await coordinator.next('ticket.fail', (m) => m.lease_id === assigned.lease_id);
    expect(failed).toMatchObject({ kind: 'quota', retry_after: '2100-01-01T00:00:00.000Z' });
    expect(await coordinator.next('agent.capabilities')).toMatchObject({ downgraded_until: '2100-01-01T00:00:00.000Z' });
  });

  it("streams its output as normalized events, and keeps the token out of the CLI's environment", async () => {
    const assigned = job('plain', 'acme/app');
    coordinator.send(assigned);
    const progress = await coordinator.next('ticket.progress', (m) => m.lease_id === assigned.lease_id);
    expect(progress.events).toEqual([{ type: 'text', text: 'ok plain' }]);
    expect(daemon.log()).not.toContain('wga_test');
  });
});

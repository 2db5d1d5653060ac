import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
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
/** What the structured "CLIs" print: a JSON-lines file per task id, written by the test. */
const streams = mkdtempSync(join(tmpdir(), 'wg-agentd-streams-'));
let n = 0;

// What the "CLI" does comes from the task id.
const SCRIPT = [
  'case "$WG_TASK_ID" in',
  '  tree) (sleep 300 & sleep 301 & wait) ;;',
  '  broken) echo "error: the model refused: bad request" >&2; exit 3 ;;',
  '  stream-*) cat "$JOB_STREAMS/$WG_TASK_ID.jsonl"; exit 1 ;;',
  '  shell-limit) echo "FAIL tests/rate_limit_test.py::test_429 - expected 429 Too Many Requests"; echo "cp: error writing out.bin: Disk quota exceeded" >&2; exit 1 ;;',
  '  *) echo "ok $WG_TASK_ID$WG_AGENT_TOKEN$WG_TOKEN$PGPASSWORD$PGUSER$WG_STORE_URL" ;;',
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
    // A person's token in the shell that started the daemon is theirs, not its jobs'.
    WG_TOKEN: 'wgp_person',
    // Nor is a login to a database: a job reaches its project only through its coordinator.
    PGPASSWORD: 'db-password',
    PGUSER: 'db-user',
    WG_STORE_URL: 'postgresql://db-user@db.example.com/wg',
    REPO_PATHS: `acme/app=${repo}`,
    ROLES: 'dev',
    MAX_JOBS: '4',
    TICKET_TIMEOUT_SECONDS: '2',
    CLI_COMMAND: 'sh',
    CLI_ARGS_TEMPLATE: `-c '${SCRIPT}'`,
    JOB_STREAMS: streams,
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

  it('kills the whole process tree past TICKET_TIMEOUT and fails the job "timed out after N s"', async () => {
    const assigned = job('tree', 'acme/app');
    coordinator.send(assigned);
    await coordinator.next('ticket.claim', (m) => m.lease_id === assigned.lease_id);
    const failed = await coordinator.next('ticket.fail', (m) => m.lease_id === assigned.lease_id);
    expect(failed).toMatchObject({ kind: 'timeout', reason: 'timed out after 2 s' });
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

  it("a quota in the CLI's own structured error downgrades the daemon until the reset time it named", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3 * 3600;
    const resetIso = new Date(reset * 1000).toISOString();
    writeFileSync(
      join(streams, 'stream-claude.jsonl'),
      [
        { type: 'system', subtype: 'init', session_id: 's' },
        { type: 'result', subtype: 'success', is_error: true, result: `Claude AI usage limit reached|${reset}` },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const assigned = job('stream-claude', 'acme/app');
    coordinator.send(assigned);
    const failed = await coordinator.next('ticket.fail', (m) => m.lease_id === assigned.lease_id);
    expect(failed).toMatchObject({ kind: 'quota', retry_after: resetIso });
    expect(await coordinator.next('agent.capabilities')).toMatchObject({ downgraded_until: resetIso });
  });

  it("codex's reset named to the minute is read as a local run's is: the end of that minute", async () => {
    // Two hours ahead, as codex prints it ("try again at 6:42 AM." for a reset at 06:42:40).
    const reset = new Date(Date.now() + 2 * 3600_000);
    const hour = reset.getHours() % 12 === 0 ? 12 : reset.getHours() % 12;
    const said = `${hour}:${String(reset.getMinutes()).padStart(2, '0')} ${reset.getHours() < 12 ? 'AM' : 'PM'}`;
    writeFileSync(
      join(streams, 'stream-codex.jsonl'),
      [
        { type: 'thread.started', thread_id: 't' },
        { type: 'turn.started' },
        {
          type: 'turn.failed',
          error: { message: `You’ve hit your usage limit. Visit https://chatgpt.com/settings/usage or try again at ${said}.` },
        },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const assigned = job('stream-codex', 'acme/app');
    coordinator.send(assigned);
    const failed = await coordinator.next('ticket.fail', (m) => m.lease_id === assigned.lease_id);
    const endOfMinute = new Date(reset);
    endOfMinute.setSeconds(60, 0);
    expect(failed).toMatchObject({ kind: 'quota', retry_after: endOfMinute.toISOString() });
  });

  it('a plain CLI that prints "429 Too Many Requests" or "Disk quota exceeded" has failed, not hit a limit', async () => {
    const downgrades = () => coordinator.received.filter((m) => m.type === 'agent.capabilities').length;
    const before = downgrades();
    const assigned = job('shell-limit', 'acme/app');
    coordinator.send(assigned);
    expect(await coordinator.next('ticket.fail', (m) => m.lease_id === assigned.lease_id)).toMatchObject({
      kind: 'exit',
      exit_code: 1,
      retry_after: null,
    });
    expect(downgrades()).toBe(before);
  });

  it("streams its output as normalized events, and keeps the tokens and the database's login out of the CLI's environment", async () => {
    const assigned = job('plain', 'acme/app');
    coordinator.send(assigned);
    const progress = await coordinator.next('ticket.progress', (m) => m.lease_id === assigned.lease_id);
    expect(progress.events).toEqual([{ type: 'text', text: 'ok plain' }]);
    expect(daemon.log()).not.toContain('wga_test');
  });
});

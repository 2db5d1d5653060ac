import { afterAll, describe, expect, it } from 'vitest';
import type { AssignedMessage } from '../../src/shared/agent-protocol';
import { FakeCoordinator } from './helpers/fake-coordinator';
import { killMarked, makeRepo, markedRunning, startAgentd } from './helpers/agentd-process';

/**
 * Nothing a job started outlives its daemon: a `wg agentd` killed with SIGKILL mid-job (it can
 * clean up nothing) takes its CLI with it, and a child the CLI moved into a session of its own
 * (setsid, as Claude Code does with its Bash tool) too. Run with the run's cgroup, and without
 * (WG_NO_CGROUP=1), where the marker in the environment finds the setsid child.
 */
const repo = makeRepo('wg-agentd-lifeline-');
const coordinators: FakeCoordinator[] = [];
let n = 0;

// The CLI: sleeps itself, after starting a child in a new session; a fresh number per run.
const script = (tag: number) => `setsid sleep ${tag}1 & sleep ${tag}2`;

function job(taskId: string): AssignedMessage {
  n++;
  return {
    type: 'ticket.assigned',
    lease_id: n.toString(16).padStart(32, '0'),
    job_id: `agent-${n}`,
    task: { id: taskId, title: taskId, description: '', tags: [] },
    prompt: 'do it',
    repo: 'acme/app',
    role: null,
    model: null,
    timeout_s: null,
  };
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterAll(async () => {
  killMarked();
  for (const coordinator of coordinators) await coordinator.close();
});

describe.each<{ mode: string; env: Record<string, string>; tag: number }>([
  { mode: 'with a cgroup', env: {}, tag: 3170 },
  { mode: 'by the run marker alone', env: { WG_NO_CGROUP: '1' }, tag: 3180 },
])('a SIGKILLed wg agentd ($mode)', ({ env, tag }) => {
  it("takes its running CLI and the CLI's setsid child with it", async () => {
    const coordinator = await FakeCoordinator.start();
    coordinators.push(coordinator);
    const daemon = startAgentd(`lifeline-${tag}`, {
      ...(process.env as Record<string, string>),
      ...env,
      WG_COORDINATOR_URL: coordinator.url,
      WG_AGENT_TOKEN: 'wga_test',
      REPO_PATHS: `acme/app=${repo}`,
      MAX_JOBS: '1',
      TICKET_TIMEOUT_SECONDS: '600',
      CLI_COMMAND: 'sh',
      CLI_ARGS_TEMPLATE: `-c '${script(tag)}'`,
    });
    await coordinator.next('agent.register');
    const assigned = job(`lifeline-${tag}`);
    coordinator.send(assigned);
    await coordinator.next('ticket.claim', (m) => m.lease_id === assigned.lease_id);
    await waitFor('the CLI and its setsid child to start', () => markedRunning(`sleep ${tag}1`) && markedRunning(`sleep ${tag}2`));

    process.kill(daemon.pid, 'SIGKILL');
    await waitFor('the CLI and its setsid child to be gone', () => !markedRunning(`sleep ${tag}1`) && !markedRunning(`sleep ${tag}2`));
    expect(markedRunning(`lifeline.sh`)).toBe(false);
  });
});

describe('a job that ends normally', () => {
  it('leaves nothing running, not even a setsid child, and reports its result', async () => {
    const coordinator = await FakeCoordinator.start();
    coordinators.push(coordinator);
    startAgentd('lifeline-end', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: coordinator.url,
      WG_AGENT_TOKEN: 'wga_test',
      REPO_PATHS: `acme/app=${repo}`,
      MAX_JOBS: '1',
      TICKET_TIMEOUT_SECONDS: '600',
      CLI_COMMAND: 'sh',
      CLI_ARGS_TEMPLATE: `-c 'setsid sleep 31901 & echo done; cat'`,
    });
    await coordinator.next('agent.register');
    const assigned = job('ends');
    coordinator.send(assigned);
    // The prompt still reaches the CLI's stdin through the lifeline.
    expect(await coordinator.next('ticket.result', (m) => m.lease_id === assigned.lease_id)).toMatchObject({ output: 'done\ndo it' });
    expect(markedRunning('sleep 31901')).toBe(false);
  });
});

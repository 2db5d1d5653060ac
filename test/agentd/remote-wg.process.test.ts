import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import type { Message } from '../../src/shared/message';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from './helpers/agentd-process';

/**
 * Issue 26 item 4, end to end: a real coordinator, a real `wg agentd` process and a job (a shell
 * script standing in for the agent CLI) that calls `wg` from inside: log, artifact, add, msg, done,
 * each relayed by its daemon with the job's own lease. It gets the workflow prompt local runs get,
 * and the tokens and cost its output carries are read with CLI_COMMAND alone (no CLI_OUTPUT).
 */
const p = new DaemonProject('wg-remote-wg-');
const repo = makeRepo('wg-repo-remote-wg-');
let daemon: AgentdProcess;

/**
 * The "CLI": keeps its prompt, calls `wg` as the prompt tells an agent to, tries one thing it may
 * not (a log on another task), then prints the stream-json lines Claude Code would, with usage.
 */
const JOB = `#!/bin/sh
case "$WG_TASK_ID" in gives-up*) "$WG_BIN" fail "$WG_TASK_ID" --reason "cannot" && exec sleep 30;; esac
printf '%s\n' "$1" > "$WG_TASK_ID.prompt"
echo "$WG_AGENTD_RELAY $WG_AGENTD_JOB_TOKEN" > "$WG_TASK_ID.relay"
wg="$WG_BIN"
echo "$wg" > "$WG_TASK_ID.wg"
echo '{"type":"system","subtype":"init","session_id":"sess-1","model":"fake-model"}'
"$wg" log "$WG_TASK_ID" "from inside the job" || exit 11
echo made > out.txt
"$wg" artifact "$WG_TASK_ID" out.txt || exit 12
"$wg" add "Follow-up found by the job" --after "$WG_TASK_ID" -d "found while working" --id follow-up || exit 13
"$wg" msg send "$WG_TASK_ID" "working on it" || exit 14
wg log other "not mine" 2> "$WG_TASK_ID.refused"; echo "$?" > "$WG_TASK_ID.refused-exit"
"$wg" done "$WG_TASK_ID" || exit 15
echo '{"type":"result","subtype":"success","is_error":false,"result":"all done","total_cost_usd":0.25,"num_turns":2,"session_id":"sess-1","usage":{"input_tokens":1200,"output_tokens":340}}'
`;

beforeAll(async () => {
  await p.init();
  const token = (await p.json<CreatedAgentToken>(['token', 'create', 'box'])).token;
  const started = await p.start();
  const url = (started.url ?? '').replace(/\/#token=.*$/, '');
  const script = join(repo, '..', `${repo.split('/').at(-1)}-job.sh`);
  writeFileSync(script, JOB, { mode: 0o755 });
  daemon = startAgentd('box', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: url,
    WG_AGENT_TOKEN: token,
    REPO_PATHS: `acme/app=${repo}`,
    CLI_COMMAND: script,
    LOG_LEVEL: 'debug',
  });
  await waitFor('box registered', async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.length === 1);
});

afterAll(async () => {
  killMarked();
  await p.remove();
});

describe('wg inside a remote job', () => {
  it('logs, records an artifact, adds a follow-up, messages and reports done through its daemon, on its own task only', async () => {
    await p.ok(['add', 'Someone else', '--id', 'other', '--executor', 'shell', '--exec', 'true', '--paused']);
    await p.ok(['add', 'Remote work', '--id', 'remote-1', '--executor', 'remote', '--repo', 'acme/app', '-d', 'Do the thing.']);
    await waitFor('remote-1 done', async () => (await p.task('remote-1')).status === 'done', 30_000).catch(async (e) => {
      console.log(JSON.stringify((await p.task('remote-1')).log, null, 1), daemon.log().slice(-4000));
      throw e;
    });
    await waitFor('the job ended', async () => (await p.agentsOf('remote-1'))[0]?.state !== 'working', 15_000);
    const task = await p.task('remote-1');
    const agent = (await p.agentsOf('remote-1'))[0];
    expect(agent?.state).toBe('done');

    // The same workflow prompt as a local run's, naming the daemon's own `wg`.
    const prompt = readFileSync(join(repo, 'remote-1.prompt'), 'utf8');
    expect(prompt).toContain('# Task remote-1: Remote work');
    expect(prompt).toContain('## Required workflow');
    const wg = readFileSync(join(repo, 'remote-1.wg'), 'utf8').trim();
    expect(wg).toMatch(/\/wg$/);
    expect(prompt).toContain(`\`${wg} done remote-1\``);

    // Each command did what it does locally, as the run (its agent id).
    expect(task.log).toContainEqual(expect.objectContaining({ actor: agent?.id, message: 'from inside the job' }));
    expect(task.artifacts).toContain('out.txt');
    // It runs where its run runs: on an agent daemon, for the same repository (run-authority.ts).
    expect(await p.task('follow-up')).toMatchObject({
      title: 'Follow-up found by the job',
      after: ['remote-1'],
      executor: 'remote',
      repo: 'acme/app',
    });
    const messages = await p.json<Message[]>(['msg', 'list', 'remote-1']);
    expect(messages.map((m) => m.body)).toContain('working on it');
    expect(task.log.some((l) => l.message === 'Task marked done')).toBe(true);

    // Another task is not its to touch: refused there, one line, nonzero.
    expect(readFileSync(join(repo, 'remote-1.refused-exit'), 'utf8').trim()).not.toBe('0');
    expect(readFileSync(join(repo, 'remote-1.refused'), 'utf8')).toMatch(/^wg: refused: .* does not hold task 'other'/);
    expect((await p.task('other')).log.some((l) => l.message.includes('not mine'))).toBe(false);

    // Tokens and cost from the CLI's own output, with CLI_COMMAND alone.
    expect(agent).toMatchObject({ tokens_in: 1200, tokens_out: 340, cost_usd: 0.25 });
    expect(daemon.log()).not.toMatch(/did not take the result/);
  });

  it("a finished job's token opens nothing, and the relay takes no browser's request", async () => {
    const [relay, token] = readFileSync(join(repo, 'remote-1.relay'), 'utf8').trim().split(' ') as [string, string];
    expect(relay).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(token).toMatch(/^wgj_[0-9a-f]{48}$/);
    const late = await p.wg(['log', 'remote-1', 'late'], { env: { WG_AGENTD_RELAY: relay, WG_AGENTD_JOB_TOKEN: token } });
    expect(late.exitCode).not.toBe(0);
    expect(late.stderr.trim()).toBe('wg: this is not the token of a job this agent daemon runs');
    expect((await p.task('remote-1')).log.some((l) => l.message === 'late')).toBe(false);
    const page = await fetch(`${relay}/api/op/task:log`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(page.status).toBe(403);
  });

  it('a job that failed its own task runs on; a retry meanwhile stops it and ends its run', async () => {
    await p.ok(['add', 'Gives up', '--id', 'gives-up', '--executor', 'remote', '--repo', 'acme/app', '--max-retries', '5']);
    await waitFor('gives-up failed by its job', async () => (await p.task('gives-up')).status === 'failed', 20_000);
    const agent = (await p.agentsOf('gives-up'))[0];
    // It reported; its process has not ended yet, so neither has its run.
    expect(agent?.state).toBe('working');
    await p.ok(['retry', 'gives-up']);
    await waitFor(
      'the first run ended',
      async () => (await p.agentsOf('gives-up')).find((a) => a.id === agent?.id)?.state !== 'working',
      15_000,
    );
    expect((await p.agentsOf('gives-up')).find((a) => a.id === agent?.id)?.state).not.toBe('working');
  });
});

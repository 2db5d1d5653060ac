import { everyAsync } from '../../src/shared/async-arrays';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import { DaemonProject, waitFor } from './helpers/daemon-project';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from '../agentd/helpers/agentd-process';

/**
 * Issue 27 item 4, "no secret in any log at any level": a representative run (the service, a local
 * run and a remote job on a real `wg agentd` at --log-level debug, both calling `wg` from inside,
 * plus the usual commands) and then every file it wrote and every output it printed is searched
 * for the project's API token, the agent tokens, the run's credential (wgr_) and the job's relay token
 * (wgj_) by value, and for anything shaped like one of this app's secrets (wga_, wgr_, wgi_, wgj_ and
 * 20 or more characters: the daemon's instance secret, wgi_, is never seen outside). Only the places that exist to hold or show a
 * secret are left out: the token file, the service's state file (the window's URL with its token,
 * 0600) and the output of the commands whose job is to show one to the person who runs them: `wg
 * token create` (printed once), and the window's URL with its token that `wg service start` and
 * `wg service status` print (the person opens the window with it; no run sees it: run-authority).
 */
const p = new DaemonProject('wg-secret-grep-');
const repo = makeRepo('wg-secret-grep-repo-');
// Where the runs leave the secrets they were given, for the search to look for: outside what is searched.
const captured = mkdtempSync(join(tmpdir(), 'wg-secret-grep-seen-'));
const outputs: Array<{ what: string; text: string }> = [];
let agentToken = '';
let otherAgentToken = '';
let apiToken = '';
let daemon: AgentdProcess;

/** Runs `wg`, keeping what it printed for the search. */
async function wg(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await p.wg(args, { env });
  outputs.push({ what: `wg ${args.join(' ')}`, text: `${result.stdout}\n${result.stderr}` });
  if (result.exitCode !== 0) throw new Error(`wg ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Every file under a folder, symlinks not followed. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

beforeAll(async () => {
  await p.init();
  agentToken = (await p.json<CreatedAgentToken>(['token', 'create', 'box'])).token;
  otherAgentToken = (await p.json<CreatedAgentToken>(['token', 'create', 'spare'])).token;
  const started = await p.start();
  apiToken = readFileSync(p.paths.tokenFile, 'utf8').trim();
  const url = (started.url ?? '').replace(/\/#token=.*$/, '');
  // The job: calls `wg` as an agent does, and prints what a CLI prints (stderr included).
  const script = join(repo, '..', `${repo.split('/').at(-1)}-job.sh`);
  writeFileSync(
    script,
    `#!/bin/sh\nprintenv WG_AGENTD_JOB_TOKEN > '${captured}/job-token'\n"$WG_BIN" log "$WG_TASK_ID" "remote progress" && "$WG_BIN" artifact "$WG_TASK_ID" README && echo warning >&2 && "$WG_BIN" done "$WG_TASK_ID"\n`,
    { mode: 0o755 },
  );
  daemon = startAgentd('box', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: url,
    WG_AGENT_TOKEN: agentToken,
    REPO_PATHS: `acme/app=${repo}`,
    CLI_COMMAND: script,
    LOG_LEVEL: 'debug',
  });
  await waitFor('box registered', async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.length === 1);
});

afterAll(async () => {
  killMarked();
  await p.remove();
  rmSync(captured, { recursive: true, force: true });
});

describe('no secret in any log or output', () => {
  it("after a remote job, a local run and the service at work, no file or output holds the API token, an agent token, a run's credential, a relay token or an instance secret", async () => {
    await wg(['add', 'Remote work', '--id', 'remote-1', '--executor', 'remote', '--repo', 'acme/app']);
    await wg([
      'add',
      'Local work',
      '--id',
      'local-1',
      '--exec',
      `printenv WG_API_TOKEN > '${captured}/run-token'; wg log "$WG_TASK_ID" "local progress" && echo to-stderr >&2 && wg done "$WG_TASK_ID"`,
    ]);
    await waitFor('both done', () => everyAsync(['remote-1', 'local-1'], async (id) => (await p.task(id)).status === 'done'), 40_000);
    await waitFor('the runs ended', async () => (await p.agents()).every((a) => a.state !== 'working'), 20_000);
    // A refused daemon (a wrong token) and a refused second connection leave their lines in the logs too.
    const impostor = startAgentd('box', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: (await p.json<{ url: string }>(['service', 'status'])).url.replace(/\/#token=.*$/, ''),
      WG_AGENT_TOKEN: otherAgentToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      REPO_PATHS: `acme/app=${repo}`,
      LOG_LEVEL: 'debug',
    });
    await waitFor('the impostor refused', () => /refused this daemon/.test(impostor.log()), 20_000);
    for (const args of [
      ['list'],
      ['show', 'remote-1'],
      ['show', 'local-1', '--json'],
      ['log', 'local-1'],
      ['agents'],
      ['agentd', 'status', '--json'],
      ['token', 'list'],
      ['config', '--list'],
    ])
      await wg(args);
    await wg(['service', 'stop']);
    outputs.push({ what: 'wg agentd (box)', text: daemon.log() }, { what: 'wg agentd (refused)', text: impostor.log() });

    const skipped = new Set([p.paths.tokenFile, p.paths.stateFile]);
    const files = [...filesUnder(p.root), ...filesUnder(repo)].filter((f) => !skipped.has(f));
    // The search is only worth something if it saw what the operations wrote.
    expect(files.some((f) => f.includes(`${join('.workgraph', 'runs')}`))).toBe(true);
    expect(files.some((f) => statSync(f).size > 0 && /\.log$|daemon\.out$/.test(f))).toBe(true);
    expect(daemon.log()).toMatch(/debug -> \{"type":"job\.op"/);
    const runCredential = readFileSync(join(captured, 'run-token'), 'utf8').trim();
    const jobToken = readFileSync(join(captured, 'job-token'), 'utf8').trim();
    expect(runCredential).toMatch(/^wgr_/);
    expect(jobToken).toMatch(/^wgj_/);
    const secrets = [
      { name: 'the API token', value: apiToken },
      { name: "the local run's credential", value: runCredential },
      { name: "the remote job's relay token", value: jobToken },
      { name: "the remote job's relay token (its secret part)", value: jobToken.slice(4) },
      { name: 'agent token box', value: agentToken },
      { name: 'agent token spare', value: otherAgentToken },
      { name: 'agent token spare (its secret part)', value: otherAgentToken.slice(4, -1) },
      { name: 'the agent token (its secret part)', value: agentToken.slice(4) },
    ];
    // Any of this app's secrets by its shape, those never seen here included (the daemon's instance secret).
    const shaped = /wg[aprij]_[\w.-]{20,}/;
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file).toString('latin1');
      for (const secret of secrets) if (text.includes(secret.value)) found.push(`${secret.name} in ${file}`);
      if (shaped.test(text)) found.push(`${shaped.exec(text)?.[0].slice(0, 8)}… in ${file}`);
    }
    for (const output of outputs) {
      for (const secret of secrets) if (output.text.includes(secret.value)) found.push(`${secret.name} in the output of ${output.what}`);
      if (shaped.test(output.text)) found.push(`${shaped.exec(output.text)?.[0].slice(0, 8)}… in the output of ${output.what}`);
    }
    expect(found).toEqual([]);
    expect(files.length).toBeGreaterThan(10);
  });
});

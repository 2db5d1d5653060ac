import { sqlText } from '../helpers/sql-text';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, DaemonJob, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import { MAX_AGENT_MESSAGE_BYTES } from '../../src/shared/agent-protocol';
import { Store } from '../../src/core/store/store';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from './helpers/agentd-process';

/**
 * Messages too large for the agent-daemon protocol, with a real coordinator and a real `wg agentd`:
 * a job's result whose diff (or output) is over the protocol's limits is delivered once, cut to fit and
 * saying so, instead of being refused and resent (or dropping the connection) until the job's lease
 * ran out and the task was run again; and a job's `wg` whose answer is larger than the daemon's
 * connection carries is refused in one plain line, the connection staying up.
 */
const p = new DaemonProject('wg-agentd-oversized-');
const repo = makeRepo('wg-repo-oversized-');
const marks = mkdtempSync(join(tmpdir(), 'wg-agentd-oversized-marks-'));
let daemon: AgentdProcess;
let reader: Store;

/**
 * The "CLI", by task id: one untracked file of 3.5 MB and an answer of 300,000 characters (both over
 * what a result carries); five files of 1 MB (a 5 MB diff: over what a frame carries); a `wg show`
 * of a task whose description is 4.5 MB, then a `wg log` over the same connection.
 */
const JOB = `#!/bin/sh
case "$WG_TASK_ID" in
  one-big-file)
    head -c 3500000 /dev/zero | tr '\\0' a | fold -w 100 > one-big-file.txt
    printf '{"type":"system","subtype":"init","session_id":"s","model":"m"}\\n'
    printf '{"type":"result","subtype":"success","is_error":false,"result":"%s","num_turns":1}\\n' "$(head -c 300000 /dev/zero | tr '\\0' x)"
    ;;
  many-files)
    mkdir -p many-files
    for i in 1 2 3 4 5; do head -c 1000000 /dev/zero | tr '\\0' b | fold -w 100 > "many-files/part-$i.txt"; done
    echo "wrote five files"
    ;;
  reads-big)
    started=$(date +%s)
    "$WG_BIN" show bigdoc > /dev/null 2> "$JOB_MARKS/reads-big.err"; echo "$?" > "$JOB_MARKS/reads-big.exit"
    echo $(( $(date +%s) - started )) > "$JOB_MARKS/reads-big.secs"
    "$WG_BIN" log "$WG_TASK_ID" "still connected" || exit 9
    echo "read it"
    ;;
esac
`;

const jobs = async (taskId: string): Promise<DaemonJob[]> =>
  sqlText<DaemonJob>(reader.core, 'SELECT * FROM daemon_jobs WHERE task_id = ? ORDER BY created_at').all(taskId);

beforeAll(async () => {
  await p.init();
  // A lease lost past this is quickly retried: a result that never arrives shows as a second run soon.
  await p.ok(['config', '--stall-timeout', '6']);
  const token = (await p.json<CreatedAgentToken>(['token', 'create', 'box'])).token;
  const started = await p.start();
  const url = (started.url ?? '').replace(/\/#token=.*$/, '');
  const script = join(marks, 'job.sh');
  writeFileSync(script, JOB, { mode: 0o755 });
  daemon = startAgentd('box', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: url,
    WG_AGENT_TOKEN: token,
    REPO_PATHS: `acme/app=${repo}`,
    CLI_COMMAND: script,
    JOB_MARKS: marks,
  });
  reader = await Store.open(p.paths.db);
  await waitFor('box registered', async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.length === 1);
});

afterAll(async () => {
  killMarked();
  await reader?.close();
  await p.remove();
});

/** Waits for the task to be done, with what the daemon said when it is not. */
async function done(taskId: string, timeoutMs = 45_000): Promise<void> {
  await waitFor(`${taskId} done`, async () => (await p.task(taskId)).status === 'done', timeoutMs).catch(async (error: unknown) => {
    throw new Error(
      `${String(error)}\ntask ${(await p.task(taskId)).status}; jobs ${JSON.stringify((await jobs(taskId)).map((j) => [j.state, j.outcome]))}\n${daemon.log().slice(-3000)}`,
    );
  });
}

describe("a job's result too large for the protocol", () => {
  it('one file over what a result carries, and a long answer: done once, the diff left out and the answer cut, each said plainly', async () => {
    await p.ok(['add', 'One big file', '--id', 'one-big-file', '--executor', 'remote', '--repo', 'acme/app', '--max-retries', '3']);
    await done('one-big-file');
    // One run, one job: the result was taken the first time it was sent.
    expect(await p.agentsOf('one-big-file')).toHaveLength(1);
    expect((await jobs('one-big-file')).map((j) => j.state)).toEqual(['done']);
    const task = await p.task('one-big-file');
    const output = String(task.results.output);
    expect(output).toMatch(/^…x+/);
    expect(output).toContain(`Diff left out: it is 3.4 MB, more than a result carries; the full change is in ${repo} on agent daemon box.`);
    expect(output).toContain('Output cut to its last');
    // No diff came, so none is kept.
    expect(task.artifacts.filter((a) => a.endsWith('changes.diff'))).toEqual([]);
    expect(daemon.log()).not.toMatch(/message refused|Too big|expected string/);
  });

  it('a 5 MB diff of five files: done once, the diff cut after the last whole file that fits, saying where the rest is', async () => {
    await p.ok(['add', 'Many files', '--id', 'many-files', '--executor', 'remote', '--repo', 'acme/app', '--max-retries', '3']);
    await done('many-files');
    expect(await p.agentsOf('many-files')).toHaveLength(1);
    expect((await jobs('many-files')).map((j) => j.state)).toEqual(['done']);
    const task = await p.task('many-files');
    const note = /Diff cut at (\d+\.\d) MB of 4\.9 MB \(whole files only\); the full change is in (.+) on agent daemon box\./;
    expect(String(task.results.output)).toMatch(note);
    const kept = task.artifacts.find((a) => a.endsWith('changes.diff'));
    expect(kept).toBeDefined();
    const diff = readFileSync(kept as string, 'utf8');
    // A note first (git apply skips what comes before the first file), then whole files only.
    expect(diff.split('\n')[0]).toMatch(/^# Diff cut at \d+\.\d MB of 4\.9 MB/);
    const files = diff.match(/^diff --git /gm) ?? [];
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.length).toBeLessThan(5);
    // Its last file whole (each file has no newline at its end).
    expect(diff.endsWith(`+${'b'.repeat(100)}\n\\ No newline at end of file\n`)).toBe(true);
    expect(diff.length).toBeLessThanOrEqual(3 * 1024 * 1024);
    expect(daemon.log()).not.toMatch(/disconnected|message refused/);
  });
});

describe("a job's wg whose answer is larger than the daemon's connection carries", () => {
  it('is refused in one plain line at once; the connection stays up and the job goes on', async () => {
    const description = 'd'.repeat(4_500_000);
    expect(description.length).toBeGreaterThan(MAX_AGENT_MESSAGE_BYTES);
    await p.ok(['add', 'Big document', '--id', 'bigdoc', '--executor', 'shell', '--exec', 'true', '--paused', '-d', description]);
    await p.ok(['add', 'Reads the big one', '--id', 'reads-big', '--executor', 'remote', '--repo', 'acme/app']);
    await done('reads-big');
    expect(readFileSync(join(marks, 'reads-big.err'), 'utf8').trim()).toBe(
      "wg: the answer is larger than an agent daemon's connection carries (4.3 MB, at most 4 MB)",
    );
    expect(readFileSync(join(marks, 'reads-big.exit'), 'utf8').trim()).not.toBe('0');
    // Answered at once, not after the relay's minute of waiting for an answer that never came.
    expect(Number(readFileSync(join(marks, 'reads-big.secs'), 'utf8'))).toBeLessThan(10);
    expect((await p.task('reads-big')).log.some((l) => l.message === 'still connected')).toBe(true);
    expect(await p.agentsOf('reads-big')).toHaveLength(1);
    expect(daemon.log()).not.toMatch(/disconnected|1009/);
    expect(existsSync(join(marks, 'reads-big.err'))).toBe(true);
  });
});

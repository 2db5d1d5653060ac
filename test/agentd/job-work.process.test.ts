import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignedMessage } from '../../src/shared/agent-protocol';
import { FakeCoordinator } from './helpers/fake-coordinator';
import { killMarked, makeRepo, startAgentd } from './helpers/agentd-process';

/**
 * What a real `wg agentd` reports a job did (its result's `work`), for the coordinator to judge an
 * exit 0 by the same rule as a local run's: its own commits since it started (not those already
 * there), whether its folder changed, its own tool calls that wrote files, the `wg` commands the
 * coordinator accepted from it, and which other jobs worked in the same folder meanwhile.
 */
let coordinator: FakeCoordinator;
const repo = makeRepo('wg-agentd-work-');
const other = makeRepo('wg-agentd-work-other-');
const streams = mkdtempSync(join(tmpdir(), 'wg-agentd-work-streams-'));
const marks = mkdtempSync(join(tmpdir(), 'wg-agentd-work-marks-'));
let n = 0;

const GIT_IDENTITY = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY } });

const SCRIPT = [
  'case "$WG_TASK_ID" in',
  '  commit) echo work > work.txt && git add work.txt && git commit -qm work && { "$WG_BIN" log $WG_TASK_ID "committed" >/dev/null 2>&1; true; } ;;',
  '  stream-*) cat "$JOB_STREAMS/$WG_TASK_ID.jsonl" ;;',
  '  hold-*) touch "$JOB_MARKS/$WG_TASK_ID"; until [ -e "$JOB_MARKS/go" ]; do sleep 0.1; done ;;',
  '  *) echo nothing ;;',
  'esac',
].join('\n');

function job(taskId: string, repoName = 'acme/app'): AssignedMessage {
  n++;
  return {
    type: 'ticket.assigned',
    lease_id: n.toString(16).padStart(32, '0'),
    job_id: `agent-${n}`,
    task: { id: taskId, title: taskId, description: '', tags: [] },
    prompt: 'do it',
    repo: repoName,
    role: null,
    model: null,
    timeout_s: null,
  };
}

/** A Claude Code stream as the CLI prints it: its session, the tool calls given, and its result. */
function claudeStream(tools: Array<{ name: string; input: Record<string, unknown>; error?: boolean }>): string {
  const lines: unknown[] = [{ type: 'system', subtype: 'init', session_id: 's', model: 'm' }];
  tools.forEach((tool, i) => {
    lines.push({ type: 'assistant', message: { content: [{ type: 'tool_use', id: `t${i}`, name: tool.name, input: tool.input }] } });
    lines.push({
      type: 'user',
      message: { content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: 'ok', is_error: tool.error === true }] },
    });
  });
  lines.push({ type: 'result', subtype: 'success', is_error: false, result: 'Finished.', total_cost_usd: 0, num_turns: 1 });
  return lines.map((line) => JSON.stringify(line)).join('\n');
}

beforeAll(async () => {
  coordinator = await FakeCoordinator.start();
  startAgentd('work', {
    ...(process.env as Record<string, string>),
    ...GIT_IDENTITY,
    WG_COORDINATOR_URL: coordinator.url,
    WG_AGENT_TOKEN: 'wga_test',
    REPO_PATHS: `acme/app=${repo},acme/other=${other}`,
    MAX_JOBS: '4',
    CLI_COMMAND: 'sh',
    CLI_ARGS_TEMPLATE: `-c '${SCRIPT}'`,
    JOB_STREAMS: streams,
    JOB_MARKS: marks,
  });
  await coordinator.next('agent.register');
});
afterAll(async () => {
  killMarked();
  await coordinator.close();
});

describe("a job's result says what the job itself did", () => {
  it('its own commit since it started (not the one already there), its change, and its wg log the coordinator accepted', async () => {
    const before = git(repo, 'rev-parse', 'HEAD').trim();
    const assigned = job('commit');
    coordinator.send(assigned);
    // The coordinator accepts the job's `wg log`, relayed over the connection (what this fake answers is no task for the CLI to print).
    const op = await coordinator.next('job.op', (m) => m.lease_id === assigned.lease_id);
    expect(op.op).toBe('task:log');
    coordinator.send({ type: 'job.op.result', lease_id: op.lease_id, request_id: op.request_id, ok: true, output: null });
    const result = await coordinator.next('ticket.result', (m) => m.lease_id === assigned.lease_id);
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    expect(head).not.toBe(before);
    expect(result.work).toEqual({
      agent: false,
      commits: [head],
      commit_count: 1,
      changed: true,
      wrote_files: false,
      shared_with: [],
      wg_calls: { 'task:log': 1 },
    });
  });

  it('an AI agent that did nothing: an agent stream, no commits, no change, no tool call, no wg command', async () => {
    writeFileSync(join(streams, 'stream-idle.jsonl'), claudeStream([]));
    const assigned = job('stream-idle');
    coordinator.send(assigned);
    const result = await coordinator.next('ticket.result', (m) => m.lease_id === assigned.lease_id);
    expect(result.work).toEqual({
      agent: true,
      commits: [],
      commit_count: 0,
      changed: false,
      wrote_files: false,
      shared_with: [],
      wg_calls: {},
    });
  });

  it('its own Write inside its folder counts as a tool write; a failed one, a Bash, or a file outside the folder does not', async () => {
    writeFileSync(
      join(streams, 'stream-wrote.jsonl'),
      claudeStream([
        { name: 'Bash', input: { command: 'ls' } },
        { name: 'Write', input: { file_path: join(repo, 'notes.md'), content: 'x' } },
      ]),
    );
    writeFileSync(
      join(streams, 'stream-nowrite.jsonl'),
      claudeStream([
        { name: 'Bash', input: { command: 'echo x > y' } },
        { name: 'Write', input: { file_path: join(repo, 'failed.md'), content: 'x' }, error: true },
        { name: 'Write', input: { file_path: '/tmp/elsewhere.md', content: 'x' } },
      ]),
    );
    const wrote = job('stream-wrote');
    const none = job('stream-nowrite');
    coordinator.send(wrote);
    expect((await coordinator.next('ticket.result', (m) => m.lease_id === wrote.lease_id)).work.wrote_files).toBe(true);
    coordinator.send(none);
    expect((await coordinator.next('ticket.result', (m) => m.lease_id === none.lease_id)).work.wrote_files).toBe(false);
  });

  it('jobs in the same folder at once name each other; a job in another repository names neither', async () => {
    const a = job('hold-a');
    const b = job('hold-b');
    const c = job('hold-c', 'acme/other');
    for (const assigned of [a, b, c]) coordinator.send(assigned);
    for (const id of ['hold-a', 'hold-b', 'hold-c']) {
      const deadline = Date.now() + 20_000;
      while (!existsSync(join(marks, id))) {
        if (Date.now() > deadline) throw new Error(`${id} never started`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    writeFileSync(join(marks, 'go'), '');
    const results = await Promise.all(
      [a, b, c].map((assigned) => coordinator.next('ticket.result', (m) => m.lease_id === assigned.lease_id)),
    );
    expect(results.map((r) => r.work.shared_with)).toEqual([[b.job_id], [a.job_id], []]);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NextTaskResult } from '../../src/shared/agent-loop';
import type { WatchEvent } from '../../src/shared/watch-events';
import { TempProject, WG_BIN } from '../helpers/wg-cli';

/*
 * The agent's loop on the command line: `wg next`, `wg checkpoint`, `wg exec`, `wg quickstart`,
 * `wg agent-guide` and `wg watch`, in a folder upstream uses (.wg/graph.jsonl with its skills and
 * estimates). Upstream's cases are named where they are ported.
 */

const p = new TempProject('wg-loop-');
const UPSTREAM_GRAPH = [
  { kind: 'task', id: 't1', title: 'Partial Match', status: 'open', skills: ['rust', 'python'] },
  { kind: 'task', id: 't2', title: 'Full Match', status: 'open', skills: ['rust'], estimate: { hours: 2 } },
  { kind: 'task', id: 't3', title: 'No skills', status: 'open' },
  { kind: 'task', id: 'py', title: 'Python Task', status: 'open', skills: ['python'] },
];

beforeAll(async () => {
  mkdirSync(join(p.root, '.wg'));
  writeFileSync(join(p.root, '.wg', 'graph.jsonl'), `${UPSTREAM_GRAPH.map((t) => JSON.stringify(t)).join('\n')}\n`);
  await p.ok(['agency', 'init']);
  await p.ok(['agent', 'create', 'rust-dev', '--role', 'Reviewer', '--tradeoff', 'Fast', '--capabilities', 'rust,testing']);
  await p.ok(['agent', 'create', 'go-dev', '--role', 'Documenter', '--tradeoff', 'Fast', '--capabilities', 'go']);
});
afterAll(() => p.remove());

describe('wg next', () => {
  // upstream: src/commands/next.rs test_next_with_matching_skills, test_next_prefers_full_skill_match
  it('test_next_prefers_full_skill_match: the full match recommended, the partial one an alternative, in upstream’s words', async () => {
    expect(await p.ok(['next', '--actor', 'rust-dev'])).toMatch(
      /^Next task for: rust-dev \([0-9a-f]{8}\)\nCapabilities: rust, testing\n\nRecommended:\n {2}t2 - Full Match \(2h\)\n {4}Score: 40\n {4}Matched: rust\n\nAlternatives:\n {2}t1 - Partial Match\n {4}Score: 15\n {4}Matched: rust\n {4}Missing: python\n {2}t3 - No skills\n {4}Score: 15\n {2}py - Python Task\n {4}Score: 5\n {4}Missing: python$/,
    );
  });

  // upstream: src/commands/next.rs test_next_json_output
  it('test_next_json_output: upstream’s NextTaskResult fields', async () => {
    const result = await p.json<NextTaskResult>(['next', '--actor', 'rust-dev']);
    expect(Object.keys(result)).toEqual(['agent_id', 'agent_name', 'agent_capabilities', 'recommended', 'alternatives']);
    expect(result.recommended).toEqual({
      id: 't2',
      title: 'Full Match',
      score: 40,
      matched_skills: ['rust'],
      missing_skills: [],
      hours: 2,
      inputs_available: true,
    });
    expect(result.alternatives.map((c) => [c.id, c.score])).toEqual([
      ['t1', 15],
      ['t3', 15],
      ['py', 5],
    ]);
  });

  // upstream: src/commands/next.rs test_next_no_matching_tasks
  it('test_next_no_matching_tasks: no skill matched; the task asking none first, a task missing two below zero is left out', async () => {
    const result = await p.json<NextTaskResult>(['next', '--actor', 'go-dev']);
    expect(result.recommended?.id).toBe('t3');
    expect(result.alternatives.map((c) => [c.id, c.score])).toEqual([
      ['t2', 5],
      ['py', 5],
      ['t1', 0],
    ]);
  });

  it('an unknown identity or none given: one line, a nonzero exit', async () => {
    const unknown = await p.wg(['next', '--actor', 'nobody']);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toBe("wg: Agent 'nobody' not found: no agent 'nobody'");
    const none = await p.wg(['next']);
    expect(none.exitCode).not.toBe(0);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('wg checkpoint', () => {
  it('saves, lists and refuses in upstream’s words', async () => {
    expect(await p.ok(['checkpoint', 't3', '-s', 'half way', '--agent', 'agent-7', '-f', 'a.ts', '-f', 'b.ts'])).toMatch(
      /^Checkpoint saved for task 't3' \(agent: agent-7\)\n {2}File: .*agent-7\/checkpoints\/.*\.json$/,
    );
    expect(await p.ok(['checkpoint', 't3', '--list', '--agent', 'agent-7'])).toMatch(
      /^Checkpoints for agent 'agent-7':\n {2}\[[^\]]+\] half way \(task: t3, type: Explicit\)\n {4}files: a\.ts, b\.ts$/,
    );
    const saved = await p.json<Record<string, unknown>>([
      'checkpoint',
      't3',
      '-s',
      'again',
      '--agent',
      'agent-7',
      '--checkpoint-type',
      'auto',
    ]);
    expect(Object.keys(saved)).toEqual([
      'task_id',
      'agent_id',
      'timestamp',
      'type',
      'summary',
      'files_modified',
      'artifacts_registered',
      'stream_offset',
      'turn_count',
      'token_usage',
    ]);
    expect(saved).toMatchObject({ type: 'auto', summary: 'again' });
    const noAgent = await p.wg(['checkpoint', 't3', '-s', 'x']);
    expect(noAgent.exitCode).not.toBe(0);
    expect(noAgent.stderr).toBe('wg: No agent ID specified. Use --agent, set WG_AGENT_ID, or ensure task is assigned.');
    const noSummary = await p.wg(['checkpoint', 't3', '--agent', 'agent-7']);
    expect(noSummary.exitCode).not.toBe(0);
    expect(noSummary.stderr).toBe('wg: --summary is required (or --list)');
  });
});

describe('wg exec', () => {
  // upstream: src/commands/exec.rs test_set_exec, test_exec_dry_run, test_exec_success
  it('test_exec_success: --set, a dry run that changes nothing, then the command run: done', async () => {
    await p.ok(['add', 'Shell task', '--id', 'sh-ok']);
    expect(await p.ok(['exec', 'sh-ok', '--set', 'echo hello'])).toBe("Set exec command for 'sh-ok': echo hello");
    expect(await p.ok(['exec', 'sh-ok', '--shell', '--dry-run'])).toBe(
      "Would execute for task 'sh-ok':\n  Command: echo hello\n  Status: Open -> InProgress -> Done/Failed",
    );
    expect((await p.json<{ status: string }>(['show', 'sh-ok'])).status).toBe('open');
    expect(await p.ok(['exec', 'sh-ok', '--shell'])).toBe(
      "Claimed task 'sh-ok' for execution\nExecuting: echo hello\nhello\nTask 'sh-ok' completed successfully",
    );
    expect((await p.json<{ status: string }>(['show', 'sh-ok'])).status).toBe('done');
  });

  // upstream: src/commands/exec.rs test_exec_failure
  it('test_exec_failure: a nonzero exit fails the task and `wg` exits 1', async () => {
    await p.ok(['add', 'Failing Task', '--id', 'sh-fail']);
    await p.ok(['exec', 'sh-fail', '--set', 'exit 4']);
    const run = await p.wg(['exec', 'sh-fail', '--shell']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("Task 'sh-fail' failed with exit code 4");
    const task = await p.json<{ status: string; failure_reason: string }>(['show', 'sh-fail']);
    expect(task).toMatchObject({ status: 'failed', failure_reason: 'Command exited with code 4' });
  });

  // upstream: src/commands/exec.rs test_exec_no_command, test_clear_exec
  it('test_exec_no_command and test_clear_exec', async () => {
    await p.ok(['add', 'No Exec Task', '--id', 'sh-none']);
    const none = await p.wg(['exec', 'sh-none', '--shell']);
    expect(none.exitCode).not.toBe(0);
    expect(none.stderr).toBe("wg: Task 'sh-none' has no exec command defined");
    await p.ok(['exec', 'sh-none', '--set', 'true']);
    expect(await p.ok(['exec', 'sh-none', '--clear'])).toBe("Cleared exec command for 'sh-none'");
    expect(await p.ok(['exec', 'sh-none', '--clear'])).toBe("Task 'sh-none' has no exec command to clear");
  });

  it("an interactive session's dry run: the agent's environment and prompt, the task left open", async () => {
    const out = await p.ok(['exec', 't1', '--dry-run']);
    expect(out).toMatch(/^=== Environment Variables ===\n\n {2}WG_TASK_ID=t1\n/);
    expect(out).toMatch(/=== Assembled Prompt \(\d+ bytes\) ===\n\n# Task t1: Partial Match/);
    expect((await p.json<{ status: string }>(['show', 't1'])).status).toBe('open');
  });

  it('a done task or an unknown one: one line, nothing changed', async () => {
    const done = await p.wg(['exec', 'sh-ok', '--dry-run']);
    expect(done.exitCode).not.toBe(0);
    expect(done.stderr).toBe("wg: Task 'sh-ok' is already done");
    const unknown = await p.wg(['exec', 'nope', '--shell']);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toBe("wg: no task 'nope'");
  });
});

describe('wg quickstart and wg agent-guide', () => {
  it('the cheat sheet for people and as JSON, and the contract', async () => {
    const text = await p.ok(['quickstart']);
    for (const heading of ['GETTING STARTED', 'SERVICE MODE', 'MANUAL MODE', 'WORKTREES', 'MESSAGING', 'HOW A RUN ENDS']) {
      expect(text).toContain(heading);
    }
    const json = await p.json<Record<string, unknown>>(['quickstart']);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['getting_started', 'agency', 'modes', 'commands', 'tips']));
    const guide = await p.ok(['agent-guide']);
    expect(guide).toMatch(/^# Workgraph Agent Guide/);
    expect(guide).toContain('wg done');
  });

  it('work without a project folder', async () => {
    const elsewhere = new TempProject('wg-noproj-');
    try {
      expect(await elsewhere.ok(['quickstart'])).toContain('GETTING STARTED');
      expect(await elsewhere.ok(['agent-guide'])).toContain('Worker Agent Contract');
    } finally {
      elsewhere.remove();
    }
  });
});

/** `wg watch ARGS` with its output read here: its first `count` lines, then the pipe closed as `head` closes it. */
async function firstLines(args: string[], count: number, whileWaiting?: () => Promise<unknown>) {
  const watcher = execa('node', [WG_BIN, 'watch', ...args], { cwd: p.root, env: p.env, reject: false, timeout: 60_000 });
  const lines: string[] = [];
  let buffer = '';
  await new Promise<void>((resolve) => {
    watcher.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      if (lines.length >= count) resolve();
    });
    void whileWaiting?.();
  });
  watcher.stdout?.destroy();
  return { lines: lines.slice(0, count).map((l) => JSON.parse(l) as WatchEvent), watcher };
}

describe('wg watch', () => {
  it('wg watch --replay 5 | head -3: three lines, exit 0, nothing on stderr', async () => {
    const result = await execa('bash', ['-c', 'set -o pipefail; timeout 30 node "$0" watch --replay 5 | head -3', WG_BIN], {
      cwd: p.root,
      env: p.env,
      reject: false,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n').map((l) => JSON.parse(l) as WatchEvent);
    expect(lines).toHaveLength(3);
    for (const event of lines) expect(Object.keys(event)).toEqual(['type', 'timestamp', 'task_id', 'data']);
  });

  it("a live event from the store, in upstream's shape; the reader gone, the next event ends it quietly with exit 0", async () => {
    // Woken by the store's commits (no daemon runs here): the task added after it started is its event.
    const { lines, watcher } = await firstLines(['--event', 'task_state'], 1, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await p.ok(['add', 'Watched task', '--id', 'watched']);
    });
    expect(lines[0]).toMatchObject({ type: 'task.created', task_id: 'watched', data: { title: 'Watched task' } });
    await p.ok(['add', 'Another', '--id', 'watched-2']);
    const result = await watcher;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('--task and --event filter the replay as upstream does', async () => {
    const { lines, watcher } = await firstLines(['--replay', '100', '--task', 'sh-', '--event', 'task.completed'], 1);
    expect(lines[0]).toMatchObject({ type: 'task.completed', task_id: 'sh-ok' });
    watcher.kill();
    await watcher;
  });

  it('bad input: one line, a nonzero exit', async () => {
    const event = await p.wg(['watch', '--event', 'bogus']);
    expect(event.exitCode).not.toBe(0);
    expect(event.stderr.split('\n')).toHaveLength(1);
    expect(event.stderr).toContain("unknown event type 'bogus'");
    const replay = await p.wg(['watch', '--replay', 'x']);
    expect(replay.exitCode).not.toBe(0);
    expect(replay.stderr).toBe("wg: --replay takes a number of events, not 'x'");
    const remote = await p.wg(['watch', '--server', 'http://127.0.0.1:9']);
    expect(remote.exitCode).not.toBe(0);
    expect(remote.stderr).toMatch(
      /^wg: cannot watch a project through --server \(http:\/\/127\.0\.0\.1:9\); that is done on the coordinator's own machine/,
    );
  });
});

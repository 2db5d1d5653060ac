import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NextTaskResult } from '../../src/shared/agent-loop';
import { TempProject } from '../helpers/wg-cli';

/*
 * The agent's loop on the command line, in this process: `wg next`, `wg checkpoint`, `wg exec` (what needs
 * no process), `wg quickstart` and `wg agent-guide`, in a folder upstream uses (.wg/graph.jsonl with its
 * skills and estimates). Upstream's cases are named where they are ported; running a shell command and
 * `wg watch`'s pipes are in loop-cli.process.test.ts.
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
    expect(unknown.stderr).toBe("wg: agent 'nobody' not found");
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

  it("--no-worktree (upstream's default, said aloud) works; with --worktree too, one line and a nonzero exit", async () => {
    expect(await p.ok(['exec', 't1', '--no-worktree', '--dry-run'])).toMatch(/^=== Environment Variables ===/);
    const both = await p.wg(['exec', 't1', '--worktree', '--no-worktree', '--dry-run']);
    expect(both.exitCode).not.toBe(0);
    expect(both.stderr).toBe("wg: option '--worktree' cannot be used with option '--no-worktree'");
  });

  it('an unknown task: one line, nothing changed', async () => {
    const unknown = await p.wg(['exec', 'nope', '--shell']);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toBe("wg: task 'nope' not found");
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
    expect((await p.json<{ text: string }>(['agent-guide'])).text.trimEnd()).toBe(guide);
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

import { existsSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/message';
import { claudeProjectEnv, isolatedHostEnv } from '../fixtures/claude-env';
import {
  bash,
  startFakeAnthropic,
  taskOf,
  text,
  toolResultsOf,
  type FakeAnthropic,
  type RecordedRequest,
  type ScriptTurn,
} from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';
import { GIT_ENV, gitIn, initClaudeRepo } from './git-project';

/**
 * The REAL Claude Code CLI (scripted model) in its own worktree, doing what loses work at the seams:
 *
 * - late: commits, calls `wg done` (its work is merged), ends its turn; a message sent meanwhile is
 *   handed to it by its Stop hook, and it commits again. That commit reaches main when its run ends.
 * - side: tries Claude Code's EnterWorktree (turned off for runs), then makes a worktree of its own
 *   under .claude/worktrees/ anyway with git, commits there and calls `wg done` (which said "Nothing to merge").
 *   Its done takes that commit onto its branch and merges it; the task's log names that worktree.
 */
const LATE_MESSAGE = 'LATE-7f3: also add two.txt';
let fake: FakeAnthropic;
let p: DaemonProject;

const git = (args: string[]) => gitIn(p.root, args);
const said = (r: RecordedRequest) => JSON.stringify((r.body as { messages?: unknown }).messages ?? []);
const requestsOf = (id: string) => fake.conversation().filter((r) => taskOf(r.body as Record<string, unknown>) === id);

function lateTurn(turn: number, request: Record<string, unknown>): ScriptTurn {
  if (turn === 0) {
    return [
      bash(
        'echo one > one.txt && git add one.txt && git commit -qm one && "$WG_BIN" done $WG_TASK_ID && ' +
          'until [ -f "$WG_PROJECT_ROOT/go-late" ]; do sleep 0.2; done',
        'Work, report, wait',
      ),
    ];
  }
  // After its last tool call it ends its turn; the Stop hook hands it the message, which it acts on.
  if (turn === 2 && JSON.stringify(request.messages).includes(LATE_MESSAGE)) {
    return [bash('echo two > two.txt && git add two.txt && git commit -qm "two, as asked after done"', 'Act on the message')];
  }
  return [text('Done.')];
}

function sideTurn(turn: number): ScriptTurn {
  if (turn === 0) return [{ type: 'tool_use', name: 'EnterWorktree', input: { name: 'side' } }];
  if (turn === 1) {
    const side = '"$WG_PROJECT_ROOT/.claude/worktrees/side"';
    return [
      bash(
        `git worktree add -q -b worktree-side ${side} && git worktree lock ${side} && cd ${side} && ` +
          'echo side > side.txt && git add side.txt && git commit -qm "work in a worktree of its own" && "$WG_BIN" done $WG_TASK_ID',
        'Work elsewhere',
      ),
    ];
  }
  return [text('Done.')];
}

beforeAll(async () => {
  fake = await startFakeAnthropic([], {
    respond: (body, turn) => {
      const task = taskOf(body);
      if (task === 'late') return lateTurn(turn, body);
      if (task === 'side') return sideTurn(turn);
      return undefined;
    },
  });
  const env: Record<string, string> = { ...GIT_ENV };
  p = new DaemonProject('wg-claude-after-done-', env, isolatedHostEnv());
  Object.assign(env, claudeProjectEnv(fake.url, join(p.root, '.home', 'claude')));
  initClaudeRepo(p.root);
  await p.init();
  await p.start(['--model', 'haiku', '--max-agents', '2']);
}, 120_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

describe('the real Claude Code CLI, working on after wg done and outside its worktree', () => {
  it('a commit made after wg done, on a message its Stop hook handed it, is merged onto main when its run ends', async () => {
    await p.ok(['add', 'Write one.txt', '--id', 'late']);
    await p.waitFor('late done by its own wg done', async () => (await p.task('late')).status === 'done', 120_000);
    const [agent] = await p.agentsOf('late');
    const id = agent?.id ?? '';
    expect(agent?.state).toBe('working');
    const firstMerge = git(['rev-parse', 'main']).trim();
    expect(git(['show', 'main:one.txt'])).toBe('one\n');

    // After its last tool call (its inbox marker gone, so its PostToolUse hook lets the message pass).
    // The sender is told what happens (it was told no agent reads it: issue 74), and it does.
    const sent = await p.wg(['msg', 'send', 'late', LATE_MESSAGE]);
    expect([sent.exitCode, sent.stderr]).toEqual([
      0,
      `wg: 'late' is done but ${id} (claude) still runs: it is handed this message after its next tool call, or before it ends`,
    ]);
    rmSync(join(p.paths.serviceDir, 'inbox', 'late'), { force: true });
    writeFileSync(join(p.root, 'go-late'), '');

    await p.waitFor(
      'its run to end and its worktree to go',
      async () => (await p.agentsOf('late'))[0]?.state !== 'working' && (await p.task('late')).worktree?.state === 'removed',
      120_000,
    );
    expect(said(requestsOf('late').at(-2) as RecordedRequest)).toContain(LATE_MESSAGE);
    // Its second commit is on main, as one more squash commit after the first merge.
    expect(git(['log', '-1', '--format=%s', 'main']).trim()).toBe(`feat: late (${id}, after done)`);
    expect(git(['rev-parse', 'main^']).trim()).toBe(firstMerge);
    expect(git(['show', 'main:two.txt'])).toBe('two\n');
    expect(existsSync(join(p.root, 'two.txt'))).toBe(true);
    const log = (await p.task('late')).log.map((l) => l.message);
    expect(log).toContain(
      `Message #1 from user handed to ${id} after its wg done (the task is done): what it does now is settled when its run ends`,
    );
    expect(log).toContain(
      `What ${id} committed on wg/${id}/late after its work was merged was merged onto main as ${git(['rev-parse', 'main']).trim().slice(0, 10)} (two.txt)`,
    );
    expect((await p.task('late')).status).toBe('done');
    // The message was read, by that agent, after its done.
    expect((await p.json<Message[]>(['msg', 'list', 'late']))[0]).toMatchObject({ status: 'read' });
    expect(git(['branch', '--list', 'recover/*', `wg/${id}/*`]).trim()).toBe('');
  }, 300_000);

  it("a worktree of Claude Code's own: its EnterWorktree is turned off, and one made anyway has its commit merged, and is named", async () => {
    await p.ok(['add', 'Write side.txt', '--id', 'side']);
    const side = join(realpathSync(p.root), '.claude', 'worktrees', 'side');
    const reported = await p.waitFor(
      'the worktree of its own named',
      async () => (await p.task('side')).log.find((l) => l.message.startsWith(`The worktree ${side}`)),
      120_000,
    );
    const id = (await p.agentsOf('side'))[0]?.id ?? '';
    // The tool was refused by Claude Code itself: the run's command line turned it off.
    const [enter] = toolResultsOf(requestsOf('side')[1] as RecordedRequest);
    expect(enter).toMatchObject({ is_error: true });
    expect(enter?.content).toContain('EnterWorktree');
    // The prompt says to stay in the worktree it was given.
    expect(said(requestsOf('side')[0] as RecordedRequest)).toContain('never use the `EnterWorktree`');

    const task = await p.task('side');
    expect(task.status).toBe('done');
    const sideCommit = git(['rev-parse', 'worktree-side']).trim();
    expect(reported.message).toBe(
      `The worktree ${side} (branch worktree-side, locked) that ${id} made held commits that only add to wg/${id}/side: wg/${id}/side ` +
        `was moved up to them (${sideCommit.slice(0, 10)}), so they are merged with its work; it is left in place for you (git worktree remove -f -f ${side})`,
    );
    expect(task.log.map((l) => l.message)).toContainEqual(
      expect.stringMatching(new RegExp(`^Merged wg/${id}/side onto main as [0-9a-f]{10}$`)),
    );
    expect(git(['show', 'main:side.txt'])).toBe('side\n');
  }, 300_000);
});

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOLD_LOOK_MS, StartHolds } from '../../src/core/coordinator/start-holds';
import { programMissing } from '../../src/core/executors/find-program';
import {
  assertFirstCommit,
  assertProgramFound,
  BaseBranchMissing,
  NoFirstCommit,
  ProgramMissing,
} from '../../src/core/runs/claiming/claim-waits';
import type { LaunchSpec } from '../../src/core/executors/launch';
import { refusal } from '../helpers/refusal';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wg-start-holds-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** Puts a program in the folder; runnable unless said otherwise. */
function install(name: string, mode = 0o755): string {
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

/** A task of the default executor, its row naming none. */
const who = { executor: 'claude', readyExecutor: 'claude' };

const spec = (command: string, env: Record<string, string> = {}): LaunchSpec => ({
  kind: 'process',
  command,
  args: [],
  env,
  stdin: null,
  cwd: dir,
  output: 'plain',
});

describe('whether a run’s program is there (find-program.ts)', () => {
  it('a bare name is looked for on the PATH given, as the shell would; a file that may not be run is not there', () => {
    expect(programMissing('claude', dir)).toBe(true);
    install('claude', 0o644);
    expect(programMissing('claude', dir)).toBe(true);
    chmodSync(join(dir, 'claude'), 0o755);
    expect(programMissing('claude', `/nowhere:${dir}`)).toBe(false);
    // No PATH at all: the shell's own default, where sh is.
    expect(programMissing('sh', undefined)).toBe(false);
    expect(programMissing('wg-no-such-program', undefined)).toBe(true);
  });

  it('an absolute path is judged as it is; a relative one is the run folder’s to resolve, and is not judged', () => {
    expect(programMissing(join(dir, 'codex'), '')).toBe(true);
    expect(programMissing(install('codex'), '')).toBe(false);
    expect(programMissing('./scripts/agent.sh', '')).toBe(false);
  });

  it('a claim is refused with the reason a person reads, looked for on the executor’s own PATH first', async () => {
    const missing = await refusal(() => assertProgramFound(spec('claude', { PATH: dir }), { PATH: '/usr/bin:/bin' }, who));
    expect(missing).toBeInstanceOf(ProgramMissing);
    expect(missing).toMatchObject({
      code: 'unavailable',
      program: 'claude',
      path: dir,
      executor: 'claude',
      message:
        'the claude CLI is not installed (or not on PATH): install Claude Code (npm install -g @anthropic-ai/claude-code) or set WG_CLAUDE_BIN to it',
    });
    // WG_CLAUDE_BIN naming a file that is not there: that variable is what to fix.
    const named = join(dir, 'claude');
    expect(() => assertProgramFound(spec(named), { WG_CLAUDE_BIN: named, PATH: '' }, who)).toThrow(
      `WG_CLAUDE_BIN names ${named}, where there is no claude`,
    );
    install('claude');
    expect(() => assertProgramFound(spec('claude', { PATH: dir }), {}, who)).not.toThrow();
    // What is not a local process starts nothing here.
    expect(() => assertProgramFound({ kind: 'manual' }, {}, { executor: 'manual', readyExecutor: 'manual' })).not.toThrow();
  });
});

describe('a worktree run in a repository with no commit yet', () => {
  it('is refused as NoFirstCommit with what to do; a run in the folder itself, or once there is a commit, is not', async () => {
    // What `git init` leaves (a unit test starts no git): HEAD naming a branch that has no commit.
    mkdirSync(join(dir, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const refused = await refusal(() => assertFirstCommit(true, dir, who));
    expect(refused).toBeInstanceOf(NoFirstCommit);
    expect(refused).toMatchObject({ executor: 'claude', message: expect.stringContaining(`the git repository ${dir} has no commit yet`) });
    expect((refused as NoFirstCommit).stillHolds()).toBe(true);
    expect(() => assertFirstCommit(false, dir, who)).not.toThrow();
    // A first commit, as git records it.
    writeFileSync(join(dir, '.git', 'refs', 'heads', 'main'), `${'1'.repeat(40)}\n`);
    expect((refused as NoFirstCommit).stillHolds()).toBe(false);
    expect(() => assertFirstCommit(true, dir, who)).not.toThrow();
  });
});

describe('a worktree run from a configured base branch the repository does not have', () => {
  it('waits as BaseBranchMissing, with what to do, until the branch is there (every such task failed, one after another)', async () => {
    mkdirSync(join(dir, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(dir, '.git', 'refs', 'heads', 'main'), `${'1'.repeat(40)}\n`);
    expect(() => assertFirstCommit(true, dir, who, 'main')).not.toThrow();
    const refused = await refusal(() => assertFirstCommit(true, dir, who, 'release'));
    expect(refused).toBeInstanceOf(BaseBranchMissing);
    expect(refused?.message).toBe(
      `base branch 'release' (coordinator.base_branch) does not exist in ${dir}, so no worktree can be made for the run: create it, or name another with wg config --base-branch NAME`,
    );
    expect((refused as BaseBranchMissing).stillHolds()).toBe(true);
    // Made by `git branch release`, or packed by git gc: either way it is there.
    writeFileSync(join(dir, '.git', 'packed-refs'), `# pack-refs with: peeled\n${'2'.repeat(40)} refs/heads/release\n`);
    expect((refused as BaseBranchMissing).stillHolds()).toBe(false);
    expect(() => assertFirstCommit(true, dir, who, 'release')).not.toThrow();
    // In the folder itself no worktree is made: nothing to wait for.
    expect(() => assertFirstCommit(false, dir, who, 'other')).not.toThrow();
  });
});

describe('what this machine lacks for a start, and the tasks that wait for it', () => {
  const claudeMissing = (executor = 'claude', readyExecutor: string | null = executor) =>
    new ProgramMissing('claude', dir, { executor, readyExecutor }, 'the claude CLI is not installed');
  const reason = 'the claude CLI is not installed';

  it('holds the executor of a refused claim, and the refused task while its row names what it did; said once per hold, each task told once', () => {
    const holds = new StartHolds(() => undefined);
    expect(holds.hold(claudeMissing(), 'c1')).toEqual({ newHold: true, tellTask: true });
    // Another executor that runs the same program: held too, the hold said once.
    expect(holds.hold(claudeMissing('claude-opus'), 'c2')).toEqual({ newHold: false, tellTask: true });
    expect(holds.hold(claudeMissing(), 'c1')).toEqual({ newHold: false, tellTask: false });
    expect(holds.waitsFor('claude', 'c9')?.message).toBe(reason);
    expect(holds.waitsFor('claude-opus', 'c9')?.message).toBe(reason);
    expect(holds.waitsFor('shell', 'sh')).toBeNull();
    // A task whose run was routed elsewhere (its identity's executor): held while its row names the same one.
    holds.hold(claudeMissing('claude-opus', 'reviewer'), 'r1');
    expect(holds.waitsFor('reviewer', 'r1')?.message).toBe(reason);
    expect(holds.waitsFor('reviewer', 'r2')).toBeNull();
    // Given another executor by a person (`wg edit r1 --executor shell`): it is tried again.
    expect(holds.waitsFor('shell', 'r1')).toBeNull();
    // A task whose own model or identity may route it elsewhere (an OpenRouter model runs through codex): not held with
    // its row's executor, only by its own refused claim.
    expect(holds.waitsFor('claude', 'm1', true)).toBeNull();
    expect(holds.waitsFor('claude', 'c1', true)?.message).toBe(reason);
    expect(holds.toTell('c9', reason)?.until).toBe('it starts by itself once that is found');
    expect(holds.toTell('c9', reason)).toBeNull();
    expect(holds.toTell('c1', reason)).toBeNull();
    holds.clear();
    expect(holds.waitsFor('claude', 'c1')).toBeNull();
  });

  it('looks again every few seconds, without a turn of the coordinator; once there, its tasks go free and the coordinator is woken', () => {
    vi.useFakeTimers();
    const cleared: Array<Array<{ cleared: string; executors: string[] }>> = [];
    const holds = new StartHolds((gone) => cleared.push(gone));
    holds.hold(claudeMissing(), 'c1');
    vi.advanceTimersByTime(HOLD_LOOK_MS * 3);
    expect(cleared).toEqual([]);
    install('claude');
    vi.advanceTimersByTime(HOLD_LOOK_MS);
    expect(cleared).toEqual([[{ cleared: 'claude is found now', executors: ['claude'] }]]);
    expect(holds.waitsFor('claude', 'c1')).toBeNull();
    // Nothing held: nothing looked at any more.
    expect(vi.getTimerCount()).toBe(0);
    // Held again later (the program removed): said again, the task told again.
    rmSync(join(dir, 'claude'));
    expect(holds.hold(claudeMissing(), 'c1')).toEqual({ newHold: true, tellTask: true });
    holds.clear();
    expect(vi.getTimerCount()).toBe(0);
  });
});

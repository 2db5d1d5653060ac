import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../src/shared/watch-events';
import { TempProject, WG_BIN } from '../helpers/wg-cli';

/*
 * The agent's loop where the process is the point: `wg exec --shell` runs the task's command, and
 * `wg watch` streams to a pipe and ends when its reader has gone. Upstream's cases are named where ported.
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
});
afterAll(() => p.remove());

describe('wg exec --shell', () => {
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

  it('a done task: one line, nothing changed', async () => {
    const done = await p.wg(['exec', 'sh-ok', '--dry-run']);
    expect(done.exitCode).not.toBe(0);
    expect(done.stderr).toBe("wg: Task 'sh-ok' is already done");
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
    // It ended first (its timeout, a failure): the test fails on what it printed, not by waiting.
    void watcher.then(() => resolve());
  });
  watcher.stdout?.destroy();
  return { lines: lines.slice(0, count).map((l) => JSON.parse(l) as WatchEvent), watcher };
}

describe('wg watch', () => {
  it('wg watch --replay 5 | head -3: three lines; the reader gone, it ends at its next write, exit 0, nothing on stderr', async () => {
    // A writer learns its reader has gone only when it writes again: the replay's fourth line, or (when the
    // pipe took all five before head closed) the next event, the task added once head has ended.
    const script =
      'set -o pipefail; timeout 30 node "$0" watch --replay 5 | { head -3; exec 0<&-; node "$0" add Later --id later >/dev/null; }';
    const result = await execa('bash', ['-c', script, WG_BIN], { cwd: p.root, env: p.env, reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n').map((l) => JSON.parse(l) as WatchEvent);
    expect(lines).toHaveLength(3);
    for (const event of lines) expect(Object.keys(event)).toEqual(['type', 'timestamp', 'task_id', 'data']);
  });

  it("a live event from the store, in upstream's shape; the reader gone, the next event ends it quietly with exit 0", async () => {
    // Woken by the store's commits (no daemon runs here). It says nothing once it listens, so tasks are added one
    // after another until it tells of one: its first line is one of them, whenever on a loaded machine it began.
    let heard = false;
    const added = new Set<string>();
    const { lines, watcher } = await firstLines(['--event', 'task_state'], 1, async () => {
      for (let i = 0; !heard && i < 100; i++) {
        await p.ok(['add', `Watched task ${i}`, '--id', `watched-${i}`]);
        added.add(`watched-${i}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    heard = true;
    expect(lines[0]).toMatchObject({ type: 'task.created', data: { title: expect.stringMatching(/^Watched task \d+$/) } });
    expect(added.has(lines[0]?.task_id as string)).toBe(true);
    await p.ok(['add', 'Another', '--id', 'watched-another']);
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

import { everyAsync } from '../../src/shared/async-arrays';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject, exists, waitFor } from '../service/helpers/daemon-project';

/**
 * kill -9 of the daemon while agents run, then a new daemon: every task must end exactly once in
 * the right state with its whole output, whatever happened to its process in between.
 */
const p = new DaemonProject('wg-crash-');
const mark = join(p.root, 'vanish.mark');
/** Runs that must outlive a coordinator wait for their gate file: on a loaded machine a timed run could end before the test looks. */
const gate = (name: string) => join(p.root, `${name}.gate`);
const waitGate = (name: string) => `while [ ! -f ${gate(name)} ]; do sleep 0.05; done`;

const TASKS: Record<string, string> = {
  // Finishes while no daemon is running: settled from its exit file.
  'fin-ok': 'echo one; sleep 1.5; echo two',
  'fin-bad': 'echo working; sleep 1.5; echo "boom: disk full" >&2; exit 4',
  // Still running when the new daemon starts: adopted, its output tailed on from where it stopped.
  long: `for i in 1 2 3 4; do echo "line $i"; done; ${waitGate('long')}; for i in 5 6 7 8; do echo "line $i"; done`,
  // Killed (whole group) while no daemon watches: no exit status, so it is retried.
  vanish: `if [ -f ${mark} ]; then echo second run; exit 0; fi; touch ${mark}; echo first run; sleep 300`,
};

beforeAll(async () => {
  await p.init();
  for (const [id, exec] of Object.entries(TASKS)) await p.ok(['add', id, '--id', id, '--exec', exec]);
});
afterAll(() => p.remove());

const terminal = /^(Task done|Task failed)/;

/** The wrapper wrote the command's exit status. */
function exitWritten(runDir: string | null): boolean {
  try {
    return runDir !== null && /^\d+\n$/.test(readFileSync(join(runDir, 'exit'), 'utf8'));
  } catch {
    return false;
  }
}

describe('crash safety', () => {
  it('kill -9 of the daemon mid-run: every task ends once, in the right state, with complete output', async () => {
    await p.start(['--max-agents', '4']);
    await waitFor(
      'all four running with pids',
      async () => (await p.agents()).filter((a) => a.state === 'working' && a.pid !== null).length === 4,
    );
    await waitFor('some output of the long task', async () => {
      const agent = (await p.agentsOf('long'))[0];
      return agent && p.events(agent.id).length > 0;
    });
    const daemon = p.daemonPid() as number;
    process.kill(daemon, 'SIGKILL');
    const vanish = (await p.agentsOf('vanish'))[0];
    await waitFor('the vanish task to be asleep', () => exists(-(vanish?.pid as number)));
    process.kill(-(vanish?.pid as number), 'SIGKILL');
    // Let the short ones finish while nobody watches; the long one is still going.
    await p.waitFor('fin-ok and fin-bad to exit', () =>
      everyAsync(['fin-ok', 'fin-bad'], async (id) => exitWritten((await p.agentsOf(id))[0]?.output_path ?? null)),
    );
    expect((await p.tasks()).every((t) => t.status === 'in-progress')).toBe(true);
    // Ended by itself while nobody watched: said as ended, not working, and not for `wg kill`, whose pause took the
    // place of its judging (a run that exited 0 with a commit would be paused, its commit on a recover branch).
    const finOk = (await p.agentsOf('fin-ok'))[0]?.id as string;
    const listed = await p.ok(['agents']);
    expect(listed).toMatch(new RegExp(`${finOk} +fin-ok .* - +ended \\(exit 0\\), not judged yet`));
    expect(await p.ok(['agents', '--alive'])).not.toContain(finOk);
    expect(await p.ok(['status'])).toMatch(new RegExp(`${finOk} .*ended \\(exit 0\\), not judged yet`));
    const kill = await p.wg(['kill', finOk]);
    expect(kill.exitCode).toBe(1);
    expect(kill.stderr.trim()).toBe(
      `wg: agent '${finOk}' has already ended by itself (exit 0): nothing to kill; the coordinator judges its end as it does any run's when it starts (wg service start)`,
    );
    expect(await p.task('fin-ok')).toMatchObject({ status: 'in-progress', paused: false });
    expect((await p.agentsOf('fin-ok'))[0]?.state).toBe('working');

    await p.start(['--max-agents', '4']);
    const longAgent = (await p.agentsOf('long'))[0]?.id as string;
    await p.waitFor('the adoption of the long run', () => readFileSync(p.paths.daemonLog, 'utf8').includes(`adopted ${longAgent}`));
    writeFileSync(gate('long'), '');
    await p.waitFor('every task settled', async () => (await p.tasks()).every((t) => t.status === 'done' || t.status === 'failed'), 30_000);

    expect((await p.task('fin-ok')).status).toBe('done');
    expect(await p.task('fin-bad')).toMatchObject({ status: 'failed', failure_reason: 'exit code 4: boom: disk full' });
    expect((await p.task('long')).status).toBe('done');
    expect(await p.task('vanish')).toMatchObject({ status: 'done', retry_count: 1 });
    for (const task of await p.tasks())
      expect(
        task.log.filter((l) => terminal.test(l.message)),
        task.id,
      ).toHaveLength(1);

    expect((await p.agentsOf('fin-ok')).map((a) => [a.state, a.exit_code])).toEqual([['done', 0]]);
    expect((await p.agentsOf('fin-bad')).map((a) => [a.state, a.exit_code])).toEqual([['failed', 4]]);
    expect((await p.agentsOf('long')).map((a) => a.state)).toEqual(['done']);
    expect((await p.agentsOf('vanish')).map((a) => a.state)).toEqual(['dead', 'done']);

    const text = (agentId: string) =>
      p.events(agentId).map((e) => (e.event.type === 'text' || e.event.type === 'stderr' ? e.event.text : e.event.type));
    expect(text((await p.agentsOf('long'))[0]?.id as string)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `line ${i}`));
    expect(text((await p.agentsOf('fin-ok'))[0]?.id as string)).toEqual(['one', 'two']);
    expect(text((await p.agentsOf('fin-bad'))[0]?.id as string)).toEqual(['working', 'boom: disk full']);
    const [first, second] = await p.agentsOf('vanish');
    expect(text(first?.id as string)).toEqual(['first run']);
    expect(text(second?.id as string)).toEqual(['second run']);
    await p.ok(['service', 'stop']);
  });

  it('wg service stop leaves agents running; the next coordinator adopts them and reads their output on', async () => {
    await p.ok([
      'add',
      'Steady',
      '--id',
      'steady',
      '--exec',
      `for i in 1 2 3; do echo "tick $i"; done; ${waitGate('steady')}; for i in 4 5 6; do echo "tick $i"; done`,
    ]);
    await p.start();
    const agent = await waitFor('steady to run', async () =>
      (await p.agentsOf('steady')).find((a) => a.state === 'working' && a.pid !== null),
    );
    await p.ok(['service', 'stop']);
    expect(exists(-(agent.pid as number))).toBe(true);
    await p.start();
    await p.waitFor('the adoption of steady', () => readFileSync(p.paths.daemonLog, 'utf8').includes(`adopted ${agent.id}`));
    writeFileSync(gate('steady'), '');
    await p.waitFor('steady done', async () => (await p.agentsOf('steady'))[0]?.state === 'done', 20_000);
    expect(await p.agentsOf('steady')).toHaveLength(1);
    expect((await p.task('steady')).status).toBe('done');
    expect(p.events(agent.id).map((e) => (e.event.type === 'text' ? e.event.text : e.event.type))).toEqual(
      [1, 2, 3, 4, 5, 6].map((i) => `tick ${i}`),
    );
    await p.ok(['service', 'stop']);
  });
});

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRunEvents } from '../../src/core/run-folder/run-log';
import { readServiceState } from '../../src/core/service-state/state-file';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { httpCall } from '../service/helpers/http-call';

/**
 * Output of any size: a run that prints a million lines, and one that prints a single 200 MB line,
 * have every event in their run log (the long line in bounded pieces), while the daemon's memory
 * stays bounded (goal: under 150 MB RSS) and its API keeps answering. Each case has a daemon of its
 * own: what one output costs is measured, not the garbage another left for a later collection
 * (in a CI run beside other suites, the 200 MB line read 160 MB after the million lines, 108 alone).
 */
let p: DaemonProject;
const MILLION = 1_000_000;
const LONG_LINE = 200 * 1024 * 1024;
const PIECE = 64 * 1024;
const HANG_GUARD_MS = 170_000;
let port = 0;
let token = '';

beforeEach(async () => {
  p = new DaemonProject('wg-huge-');
  await p.init();
  await p.start();
  const state = readServiceState(p.paths);
  port = state?.port ?? 0;
  token = state?.url.split('#token=')[1] ?? '';
});
afterEach(() => p.remove());

function rssMb(pid: number): number {
  const line =
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/**
 * Runs a task, sampling the daemon's RSS and asking its API for the task list meanwhile; returns
 * the highest RSS seen and how many API calls were answered, once the task is done.
 */
async function runWatched(id: string, exec: string): Promise<{ maxRss: number; answered: number; agentId: string }> {
  const daemon = p.daemonPid() as number;
  await p.ok(['add', id, '--id', id, '--exec', exec]);
  let maxRss = rssMb(daemon);
  let answered = 0;
  let finished = false;
  const sampler = (async () => {
    while (!finished) {
      maxRss = Math.max(maxRss, rssMb(daemon));
      const reply = await httpCall({ port }, 'POST', '/api/op/task:show', {
        headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
      });
      if (reply.status === 200) answered++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    // A hang guard only: on a 2-core machine shared with other work, 200 MB took over 50 s.
    await waitFor(
      `${id} to finish`,
      async () => (await p.task(id)).status === 'done' && (await p.agentsOf(id))[0]?.state === 'done',
      HANG_GUARD_MS,
      100,
    );
  } finally {
    finished = true;
    await sampler;
  }
  return { maxRss, answered, agentId: (await p.agentsOf(id))[0]?.id as string };
}

const dirOf = (agentId: string) => join(p.paths.runsDir, agentId);

describe.runIf(process.platform === 'linux')('output of any size', () => {
  it('a million lines: every one is an event, in order', { timeout: HANG_GUARD_MS + 10_000 }, async () => {
    const { maxRss, answered, agentId } = await runWatched('million', `seq 1 ${MILLION}`);
    const total = statSync(join(dirOf(agentId), 'events.idx')).size / 8;
    expect(total).toBe(MILLION);
    const page = (offset: number) => readRunEvents(dirOf(agentId), agentId, offset, 1).events[0]?.event;
    expect(page(0)).toEqual({ type: 'text', text: '1' });
    expect(page(499_999)).toEqual({ type: 'text', text: '500000' });
    expect(page(MILLION - 1)).toEqual({ type: 'text', text: String(MILLION) });
    expect(answered).toBeGreaterThan(0);
    console.log(`a million lines: daemon RSS at most ${maxRss.toFixed(0)} MB; the API answered ${answered} times meanwhile`);
    expect(maxRss).toBeLessThan(150);
  });

  it('one 200 MB line: kept as bounded pieces that add up to all of it', { timeout: HANG_GUARD_MS + 10_000 }, async () => {
    const { maxRss, answered, agentId } = await runWatched('long-line', `head -c ${LONG_LINE} /dev/zero | tr '\\0' x; echo; echo after`);
    let offset = 0;
    let bytes = 0;
    let biggest = 0;
    let last = '';
    for (;;) {
      const page = readRunEvents(dirOf(agentId), agentId, offset, 5000);
      for (const { event } of page.events) {
        if (event.type !== 'text') continue;
        last = event.text;
        if (event.text === 'after') continue;
        bytes += event.text.length;
        biggest = Math.max(biggest, event.text.length);
      }
      offset += page.events.length;
      if (offset >= page.total) break;
    }
    expect(bytes).toBe(LONG_LINE);
    expect(biggest).toBeLessThanOrEqual(PIECE);
    expect(last).toBe('after');
    expect(answered).toBeGreaterThan(0);
    console.log(`one 200 MB line: daemon RSS at most ${maxRss.toFixed(0)} MB; the API answered ${answered} times meanwhile`);
    expect(maxRss).toBeLessThan(150);
  });
});

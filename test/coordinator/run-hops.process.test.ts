import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pokeCoordinator } from '../../src/core/connecting/coordinator-poke';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { readRunHops } from '../bench/run-hops-trace';

/**
 * The coordinator publishes each hop of a run's life on a diagnostics channel (src/core/timing/run-hops.ts); the
 * dispatch bench's recorder, loaded into the daemon, writes them to one file that test/bench/run-trace-report.ts
 * reads. This checks the hops come, in order, through that same recorder.
 */
const RECORDER = fileURLToPath(new URL('../bench/run-hops-recorder.cjs', import.meta.url));
const p = new DaemonProject('wg-trace-', { WG_TRACE_RUNS: '' });
const trace = join(p.root, 'runs.trace');
p.extraEnv.WG_TRACE_RUNS = trace;
p.extraEnv.NODE_OPTIONS = `--require ${RECORDER}`;

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
  await p.ok(['add', 'First', '--id', 'a', '--exec', 'true']);
  await p.ok(['add', 'Second', '--id', 'b', '--exec', 'true', '--after', 'a']);
  await p.ok(['add', 'Gate', '--id', 'gate', '--executor', 'manual']);
  await p.ok(['add', 'Third', '--id', 'c', '--exec', 'true', '--after', 'gate']);
});
afterAll(() => p.remove());

const read = () => readRunHops(trace);

describe('tracing runs', () => {
  it('notes every hop of each run, in order, from the claim to the settle', async () => {
    await p.start(['--max-agents', '2']);
    await p.waitFor('a and b done', async () => (await p.tasks()).filter((t) => t.status === 'done').length === 2, 30_000);
    // Another process's commit: the coordinator notices it (its WAL watch or the CLI's poke), wakes, reads, decides, claims.
    const doneAt = Date.now() * 1000;
    await p.ok(['done', 'gate']);
    await p.waitFor('c done', async () => (await p.tasks()).find((t) => t.id === 'c')?.status === 'done', 30_000);
    // A poke that brings nothing new takes no turn; a change that readies nothing, noticed twice (the WAL's watch and
    // the CLI's poke), takes one, not one for each.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
    await settle();
    const pokedAt = Date.now() * 1000;
    await pokeCoordinator(p.paths);
    await settle();
    const loggedAt = Date.now() * 1000;
    await p.ok(['log', 'a', 'a note']);
    await settle();
    // config.toml changed and nothing in the store: the poke's turn reads it.
    const configuredAt = Date.now() * 1000;
    await p.ok(['config', '--max-agents', '3']);
    await settle();
    await p.ok(['service', 'stop']);
    // The daemon writes what it kept as it exits.
    await waitFor('the trace', () => existsSync(trace) && read().some((l) => l.event === 'd-exit' && l.key === 'agent-2'));
    const lines = read();
    for (const [agent, task] of [
      ['agent-1', 'a'],
      ['agent-2', 'b'],
    ] as const) {
      const claim = lines.find((l) => l.event === 'd-commit' && l.key.split(',').includes(`${agent}=${task}`));
      const hop = (event: string) => lines.find((l) => l.event === event && l.key === agent)?.at;
      const order = ['d-spawn', 'd-prepared', 'd-started', 'd-ended', 'd-exit'].map(hop);
      expect(
        order.every((at) => at !== undefined),
        `${agent}: ${JSON.stringify(order)}`,
      ).toBe(true);
      expect([claim?.at, ...order]).toEqual([claim?.at, ...order].sort((x, y) => (x as number) - (y as number)));
      // The turn that took the run's end, then its commit.
      const turn = lines.findIndex((l) => l.event === 'd-turn' && l.key.split(',').includes(agent));
      expect(turn).toBeGreaterThan(-1);
      expect(lines.slice(turn).find((l) => l.proc === 'd' && l.event === 'd-commit')).toBeDefined();
    }
    const claimC = lines.findIndex((l) => l.event === 'd-commit' && /=c(,|$)/.test(l.key));
    const noticed = lines.findIndex((l) => (l.event === 'd-watch' || l.event === 'd-poke') && l.at >= doneAt);
    expect(noticed, 'the commit of `wg done gate` noticed').toBeGreaterThan(-1);
    expect(claimC).toBeGreaterThan(noticed);
    // Between them, in this order: the wake, the turn, its read of the graph and its decision.
    const between = lines.slice(noticed, claimC).map((l) => l.event);
    const wake = between.indexOf('d-wake');
    const turn = between.indexOf('d-turn', wake);
    const readAt = between.indexOf('d-read', turn);
    expect(
      [wake, turn, readAt, between.indexOf('d-decide', readAt)].every((i) => i > -1),
      between.join(' '),
    ).toBe(true);
    const afterPoke = lines.filter((l) => l.at >= pokedAt && l.at < loggedAt);
    expect(afterPoke.map((l) => l.event)).toEqual(['d-poke']);
    const afterLog = lines.filter((l) => l.at >= loggedAt && l.at < configuredAt);
    expect(afterLog.filter((l) => l.event === 'd-turn').length, afterLog.map((l) => l.event).join(' ')).toBe(1);
    const afterConfig = lines.filter((l) => l.at >= configuredAt);
    expect(afterConfig.map((l) => l.event)).toContain('d-turn');
  });
});

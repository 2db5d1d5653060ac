import { describe, expect, it } from 'vitest';
import { StartGate } from '../../src/core/leases/start-gate';

describe("the start gate (what a coordinator's committed claims start)", () => {
  it('starts at once while the lease holds, else at the next renewal that finds it holding', () => {
    let holds = true;
    const gate = new StartGate(() => holds);
    const started: string[] = [];
    expect(gate.start(() => started.push('now'))).toBe(true);
    holds = false;
    expect(gate.start(() => started.push('later'))).toBe(false);
    expect(gate.waiting).toBe(1);
    // A renewal that came while the lease still could have lapsed (a late answer) starts nothing yet.
    gate.renewed();
    expect(started).toEqual(['now']);
    holds = true;
    gate.renewed();
    expect(started).toEqual(['now', 'later']);
    expect(gate.waiting).toBe(0);
  });

  it('never starts what it holds once closed (fenced or stopping), and says so to each', () => {
    let holds = false;
    const gate = new StartGate(() => holds);
    const said: string[] = [];
    gate.start(
      () => said.push('started'),
      () => said.push('dropped'),
    );
    gate.close();
    holds = true;
    gate.renewed();
    expect(gate.mayStart()).toBe(false);
    gate.start(
      () => said.push('started'),
      () => said.push('dropped late'),
    );
    expect(said).toEqual(['dropped', 'dropped late']);
  });

  it('gives a start the time until the lease could lapse to begin in: none when it may not start, no limit without a lease', () => {
    let holds = true;
    let left = 4_200;
    const gate = new StartGate(
      () => holds,
      () => left,
    );
    expect(gate.startWindowMs()).toBe(4_200);
    left = 3_100;
    expect(gate.startWindowMs()).toBe(3_100);
    holds = false;
    expect(gate.startWindowMs()).toBe(0);
    holds = true;
    gate.close();
    expect(gate.startWindowMs()).toBe(0);
    expect(new StartGate(() => true).startWindowMs()).toBe(Number.POSITIVE_INFINITY);
  });
});

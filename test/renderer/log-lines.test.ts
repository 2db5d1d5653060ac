import { describe, expect, it } from 'vitest';
import { humanLogLine } from '../../src/renderer/inspector/log-lines';

describe('log lines in words', () => {
  it('rephrases what the store writes for the command line', () => {
    const say = (message: string) => humanLogLine({ message });
    expect(say('Spawned by coordinator --executor claude --model opus (model from the task) as agent-7')).toBe(
      'Started as agent-7 with claude using opus',
    );
    expect(say("Spawned by coordinator --executor remote (no model chosen: the executor's default) as agent-9 on agent daemon box#1")).toBe(
      'Started as agent-9 with remote on box#1',
    );
    expect(say('Agent agent-3 killed; task unclaimed and held (paused)')).toBe(
      'agent-3 was stopped; the task is held and will not start again until resumed',
    );
    // `wg kill` writes upstream's words (its own tests look for them); the lines above are older logs'.
    expect(say("Agent 'agent-3' killed — task auto-paused (use 'wg resume t' to re-enable dispatch)")).toBe(
      'agent-3 was stopped; the task is held and will not start again until resumed',
    );
    expect(say("Task unclaimed: agent 'agent-4' was killed (--redispatch)")).toBe('agent-4 was stopped; the task goes back to the queue');
    expect(say('Task done: agent agent-5 exited 0')).toBe('Finished: agent-5 completed successfully');
    expect(say("Task failed: cannot launch: no executor 'nope'")).toBe("Could not start: no executor 'nope'");
    expect(say('Refused `wg done` from agent-1: agent-1 is no longer working (killed)')).toBe(
      'Ignored a report that it is done from agent-1: agent-1 is no longer working (killed)',
    );
    expect(say("Refused a heartbeat from agent-2: task 'x' is held by agent-3")).toBe(
      "Ignored a heartbeat from agent-2: task 'x' is held by agent-3",
    );
    expect(say('Retry #1')).toBe('Reopened for another try (attempt 2)');
    // `wg pause` logs upstream's words; older logs say "Paused".
    expect(say('Task paused')).toBe('Paused: it will not be started');
    expect(say('Paused')).toBe('Paused: it will not be started');
    // `wg claim ID` without --agent (upstream's form) claims it for nobody in particular.
    expect(say('Claimed')).toBe('Taken');
    expect(say('Claimed (forced)')).toBe('Taken although it was not ready');
    expect(
      say(
        'Waiting for a person: its executor is manual, so nothing starts it; do it and run `wg done x`, or start an agent on it with `wg spawn x`',
      ),
    ).toBe('Waiting for a person: do it and mark it done, or start an agent on it');
    // Anything else (an agent's own words) stays as written.
    expect(say('Endpoints sketched: /tasks, /agents')).toBe('Endpoints sketched: /tasks, /agents');
  });
});

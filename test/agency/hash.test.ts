import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { descriptionHash, identityHash, roleHash } from '../../src/core/agency/hash';
import { DEFAULT_AGENT, STARTER_ROLES, STARTER_TRADEOFFS } from '../../src/core/agency/starters';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Upstream's tests/fixtures/agency-hash-equality.txt (Agency v1.2.4), line for line. */
const UPSTREAM_FIXTURE: Array<[string, string]> = [
  ['Working, tested code', '34764379452e1434e995f0aeb7df2f1986bba40fd596b24abbf039daae19a0a3'],
  ['Prioritizes thoroughness', 'f1168a67b118dde29bdc18cf248952dd3388e2034832a04d167d86fc7d1063f9'],
  ['Write clean code with tests', '5f338166eacdf743ce6dcfe426b858ae1c0e84b72003559c5cd8908c1d86ea71'],
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
];

describe('content hashes, as upstream computes them', () => {
  it('hashes a primitive by its description: "Working, tested code" is 34764379…', () => {
    expect(descriptionHash('Working, tested code').slice(0, 8)).toBe('34764379');
    for (const [description, expected] of UPSTREAM_FIXTURE) expect(descriptionHash(description)).toBe(expected);
  });

  it("composes roles and agents as upstream's serde_yaml envelopes: seed 004's Careful Programmer is f5143935…", () => {
    // Seed 004 (April 2026) was hashed when upstream still hashed primitives as YAML envelopes too;
    // written out by hand here, they must give the task page's agent identity through our composition.
    const component = (description: string, name: string) =>
      sha256(`description: ${description}\ncategory: translated\ncontent: !name ${name}\n`);
    const programmer = roleHash(
      [
        component('Writes production-quality code.', 'code-writing'),
        component('Writes and runs tests.', 'testing'),
        component('Diagnoses and fixes bugs.', 'debugging'),
      ],
      sha256('description: Working, tested code\nsuccess_criteria: []\n'),
    );
    const careful = sha256(
      'acceptable_tradeoffs:\n- Slow\n- Verbose\nunacceptable_tradeoffs:\n- Unreliable\n- Untested\n' +
        'description: Prioritizes reliability and correctness above speed.\n',
    );
    expect(identityHash(programmer, careful)).toBe('f51439356729d112a6c404803d88015d5b44832c6c584c62b96732b63c2b0c7e');
  });

  it('sorts component ids, ignores names, and quotes as serde_yaml does', () => {
    expect(roleHash(['b', 'a'], 'x')).toBe(roleHash(['a', 'b'], 'x'));
    expect(roleHash([], 'Working code')).toBe(sha256('component_ids: []\noutcome_id: Working code\n'));
    expect(roleHash(['rust', 'true', '123'], 'Working, tested code')).toBe(
      sha256("component_ids:\n- '123'\n- rust\n- 'true'\noutcome_id: Working, tested code\n"),
    );
    expect(identityHash('r', 't')).toBe(sha256('role_id: r\nmotivation_id: t\n'));
  });

  it("gives upstream's starters their ids: Careful Programmer = Programmer + Careful", () => {
    const programmer = STARTER_ROLES.find((r) => r.name === 'Programmer');
    const careful = STARTER_TRADEOFFS.find((t) => t.name === 'Careful');
    expect(programmer?.outcome_id).toBe(UPSTREAM_FIXTURE[0]?.[1]);
    expect(careful?.id).toBe(descriptionHash('Prioritizes reliability and correctness above speed.'));
    expect(DEFAULT_AGENT.id).toBe(identityHash(programmer?.id as string, careful?.id as string));
    expect(DEFAULT_AGENT.id.slice(0, 8)).toBe('02e87968');
  });
});

import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoleView, TradeoffView } from '../../src/shared/agency';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg tradeoff` and `wg role` against upstream's own cases (graphwork/workgraph src/commands/tradeoff.rs and
 * role.rs `mod tests`), each named in its `it`; creating, editing and removing them by prefix or name, and the
 * refusals, are in test/cli/agency-cli.test.ts. A tradeoff's lists are `acceptable` and `unacceptable` here.
 *
 * differs, not fixed:
 * - test_add_duplicate_fails, test_rm: upstream adds a tradeoff without a description (every such one hashes
 *   alike, so the second is the duplicate); here a tradeoff needs one (its id is made of it, test/cli/agency-cli
 *   refuses one without), so these cases give one.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-tradeoff-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const tradeoffs = () => p.json<TradeoffView[]>(['tradeoff', 'list']);
/** The one tradeoff there is. */
async function only(): Promise<TradeoffView> {
  const [tradeoff, ...more] = await tradeoffs();
  if (!tradeoff || more.length > 0) throw new Error('expected exactly one tradeoff');
  return tradeoff;
}

describe('wg tradeoff (upstream tradeoff.rs)', () => {
  it('test_content_hash_deterministic: the id is the hash of the description alone', async () => {
    const first = await p.json<TradeoffView>(['tradeoff', 'add', 'One', '-d', 'desc', '--accept', 'Slow', '--reject', 'Broken']);
    expect(first.id).toBe(sha256('desc'));
    await p.ok(['tradeoff', 'rm', first.id]);
    const second = await p.json<TradeoffView>(['tradeoff', 'add', 'Two', '-d', 'desc', '--accept', 'Fast', '--reject', 'Broken']);
    expect(second.id).toBe(first.id);
    const other = await p.json<TradeoffView>(['tradeoff', 'add', 'Three', '-d', 'other', '--accept', 'Slow', '--reject', 'Broken']);
    expect(other.id).not.toBe(first.id);
  });

  it('test_add_and_list / test_list_json', async () => {
    await p.ok([
      'tradeoff',
      'add',
      'Quality First',
      '--accept',
      'Slower delivery',
      '--reject',
      'Skipping tests',
      '-d',
      'Prioritise correctness',
    ]);
    const tradeoff = await only();
    expect(tradeoff.id).toMatch(/^[0-9a-f]{64}$/);
    expect(tradeoff).toMatchObject({ name: 'Quality First', acceptable: ['Slower delivery'], unacceptable: ['Skipping tests'] });
    expect(tradeoff.performance).toMatchObject({ tasks: 0, avg_score: null });
  });

  it('test_add_duplicate_fails', async () => {
    const first = await p.json<TradeoffView>(['tradeoff', 'add', 'Quality First', '-d', 'Prioritise correctness']);
    const again = await p.wg(['tradeoff', 'add', 'Quality First', '-d', 'Prioritise correctness']);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr.trim()).toBe(`wg: a tradeoff with identical content already exists (${first.id.slice(0, 8)})`);
    expect(await tradeoffs()).toHaveLength(1);
  });

  it('test_show_not_found / test_rm_not_found', async () => {
    for (const verb of ['show', 'rm']) {
      const result = await p.wg(['tradeoff', verb, 'nonexistent']);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.trim()).toBe("wg: tradeoff 'nonexistent' not found");
    }
  });

  it('test_show_existing_by_prefix', async () => {
    await p.ok(['tradeoff', 'add', 'Speed Demon', '--accept', 'Lower quality', '--reject', 'Data loss', '-d', 'Ship fast']);
    const tradeoff = await only();
    expect((await p.json<TradeoffView>(['tradeoff', 'show', tradeoff.id])).name).toBe('Speed Demon');
    expect((await p.json<TradeoffView>(['tradeoff', 'show', tradeoff.id.slice(0, 8)])).id).toBe(tradeoff.id);
    expect(await p.ok(['tradeoff', 'show', tradeoff.id.slice(0, 8)])).toContain('Tradeoff: Speed Demon');
  });

  it('test_rm', async () => {
    await p.ok(['tradeoff', 'add', 'Temp Tradeoff', '-d', 'Temporary']);
    const tradeoff = await only();
    await p.ok(['tradeoff', 'rm', tradeoff.id]);
    expect(await tradeoffs()).toEqual([]);
  });
});

describe('wg role (upstream role.rs)', () => {
  it('test_content_hash_deterministic: the id is the hash of the skills and the outcome, the same each time', async () => {
    const role = await p.json<RoleView>(['role', 'add', 'Implementer', '--skill', 'rust', '--outcome', 'Working code']);
    expect(role.id).toBe(sha256('component_ids:\n- rust\noutcome_id: Working code\n'));
    await p.ok(['role', 'rm', role.id]);
    const again = await p.json<RoleView>(['role', 'add', 'Renamed', '--skill', 'rust', '--outcome', 'Working code']);
    expect(again.id).toBe(role.id);
    const other = await p.json<RoleView>(['role', 'add', 'Other', '--skill', 'rust', '--outcome', 'Different outcome']);
    expect(other.id).not.toBe(role.id);
  });

  it('test_short_hash: a role is shown by the first eight characters of its id', async () => {
    const role = await p.json<RoleView>(['role', 'add', 'Implementer', '--skill', 'rust', '--outcome', 'Working code']);
    expect(await p.ok(['role', 'list'])).toMatch(new RegExp(`^${role.id.slice(0, 8)}  Implementer`));
  });
});

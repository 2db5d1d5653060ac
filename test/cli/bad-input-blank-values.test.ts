import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOp } from '../../src/renderer/api/validate-op';
import { projectState } from '../helpers/project-state';
import { TempProject } from '../helpers/wg-cli';

/*
 * A blank number is not 0 (read so, `wg config --eval-threshold ''` would let every evaluation pass), and a list flag
 * that names nothing is not the flag left out (`wg token create t --roles ''` would make a token for any role). Each
 * is refused in one line, and nothing changes.
 */
const p = new TempProject();
beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'a']);
});
afterAll(() => p.remove());

async function refused(args: string[], said: string): Promise<void> {
  const before = projectState(join(p.root, '.workgraph'));
  const result = await p.wg(args);
  expect(result.exitCode, args.join(' ')).not.toBe(0);
  expect(result.stderr, args.join(' ')).toBe(said);
  expect(projectState(join(p.root, '.workgraph')), args.join(' ')).toEqual(before);
}

describe('a blank number', () => {
  it('is refused as any text that is no number, never read as 0', async () => {
    await refused(['config', '--eval-threshold', ''], 'wg: eval-threshold must be a number');
    await refused(['config', '--max-retries', ' '], 'wg: max-retries must be a whole number');
    await refused(['config', '--max-eval-rescues', ''], 'wg: max-eval-rescues must be a whole number');
    await refused(['add', 'b', '--max-retries', ''], 'wg: max-retries must be a whole number');
    await refused(['add', 'c', '--hours', ' '], 'wg: hours must be a number');
    await refused(['evaluate', 'record', '--task', 'a', '--score', ''], 'wg: score must be a number');
    await refused(['reschedule', 'a', '--after', ' '], 'wg: hours must be a number, such as 24');
  });

  it('still takes a number given as text', async () => {
    await p.ok(['config', '--max-retries', '4']);
    await p.ok(['add', 'd', '--hours', '2.5']);
    expect((await p.json<{ hours: number }>(['show', 'd'])).hours).toBe(2.5);
  });
});

describe('a blank text', () => {
  it('is refused where the text must name something, never saved to fail only when a run starts', async () => {
    await refused(['add', 'b', '--model', ' '], 'wg: model is empty');
    await refused(['add', 'b', '--exec', '  '], 'wg: exec is empty');
    await refused(['edit', 'a', '--executor', ' '], 'wg: executor is empty');
    await refused(['msg', 'send', 'a', ' \n '], 'wg: the message is empty');
    await refused(['artifact', 'a', ' '], 'wg: the artifact is empty');
    await refused(['config', '--model', ' '], 'wg: a name holds only letters, digits and . _ : / -, and starts with a letter or digit');
    expect(validateOp('task:add', { title: 'b', model: '\t' })).toMatchObject({ ok: false, fields: { model: 'is empty' } });
  });

  it('still takes text with spaces around it, and a message with its own spacing', async () => {
    await p.ok(['msg', 'send', 'a', '  indented\n  reply']);
    expect((await p.json<Array<{ body: string }>>(['msg', 'list', 'a']))[0]?.body).toBe('  indented\n  reply');
  });
});

describe('a list flag that names nothing', () => {
  it('is refused, not taken as the flag left out (a token for any role)', async () => {
    const said = (flag: string, value: string) =>
      `wg: error: option '--${flag} <value>' argument '${value}' is invalid. it names nothing: give at least one value, or leave the flag out`;
    await refused(['token', 'create', 't1', '--roles', ''], said('roles', ''));
    await refused(['token', 'create', 't2', '--repos', ' , '], said('repos', ' , '));
    await refused(['add', 'e', '--after', ''], said('after', ''));
    expect((await p.wg(['token', 'list'])).stdout).not.toMatch(/t1|t2/);
  });

  it('is refused by the operation too (an API call with an empty list of roles), and a list that names one is taken', async () => {
    expect(validateOp('token:create', { name: 't3', roles: [] })).toEqual({
      ok: false,
      fields: { roles: 'names no role: give at least one, or leave it out for any' },
      message: null,
    });
    expect(validateOp('token:create', { name: 't3', repos: [] }).ok).toBe(false);
    expect(validateOp('token:create', { name: 't3', roles: ['dev'] }).ok).toBe(true);
    await p.ok(['token', 'create', 't3', '--roles', 'dev']);
  });
});

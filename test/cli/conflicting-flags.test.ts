import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { projectState } from '../helpers/project-state';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Flags that cannot go together, or mean nothing without another, are refused in one line with nothing
 * changed (as upstream's clap refuses its conflicts_with); and what an edit or an archive did not do is said,
 * in upstream's words, on stderr. Each case names the upstream source it is ported from.
 */

const p = new InProcessProject('wg-conflicting-flags-');
/** Every row and settings file of the project: what "nothing changed" compares. */
const state = () => projectState(join(p.root, '.workgraph'));

beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'A one']);
  await p.ok(['add', 'B two', '--after', 'a-one', '--tag', 'kept', '--skill', 'rust']);
  // A failed and a done task: what a gc or an archive that went ahead would take out of the graph.
  await p.ok(['add', 'Broken']);
  await p.ok(['claim', 'broken', '--agent', 'me']);
  await p.ok(['fail', 'broken', '--reason', 'exit 1']);
  await p.ok(['add', 'Finished']);
  await p.ok(['claim', 'finished', '--agent', 'me']);
  await p.ok(['done', 'finished']);
});
afterAll(() => p.remove());

const refusals: Array<[string, string[], string]> = [
  // Upstream's Gc documents --apply and --force as "with --worktrees", and --older and --include-done as ignored
  // with it (src/cli.rs Gc; src/main.rs runs one gc or the other): each would be taken and dropped without a word.
  [
    'upstream src/cli.rs: Gc --apply is "with --worktrees" (a task gc would run, and remove tasks)',
    ['gc', '--apply'],
    '--apply works only with --worktrees; a task gc needs none (preview it with --dry-run)',
  ],
  [
    'upstream src/cli.rs: Gc --force is "with --worktrees"',
    ['gc', '--force'],
    '--force works only with --worktrees (it removes worktrees that have uncommitted changes)',
  ],
  [
    'upstream src/cli.rs: Gc --older is "ignored when --worktrees is passed"',
    ['gc', '--worktrees', '--older', '7d'],
    '--older works on tasks, not with --worktrees (wg worktree gc --older takes worktrees by age)',
  ],
  [
    'upstream src/cli.rs: Gc --include-done is "ignored when --worktrees is passed"',
    ['gc', '--worktrees', '--include-done'],
    '--include-done works on tasks, not with --worktrees',
  ],
  [
    'upstream src/main.rs: Gc with --worktrees drops --dry-run, so --apply would remove',
    ['gc', '--worktrees', '--apply', '--dry-run'],
    'give either --dry-run or --apply, not both',
  ],
];

describe('flags that cannot go together', () => {
  it.each(refusals)('%s: one line on stderr, nonzero exit, nothing changed', async (_name, args, message) => {
    const before = state();
    const result = await p.wg(args);
    expect([result.exitCode, result.stderr, result.stdout]).toEqual([1, `wg: ${message}`, '']);
    expect(state()).toBe(before);
  });

  it('upstream src/cli.rs: Viz --dot conflicts_with_all mermaid: one format at a time', async () => {
    expect(await p.ok(['viz', '--dot'])).toMatch(/^digraph /);
    expect(await p.ok(['viz', '--mermaid'])).toMatch(/^flowchart /);
    const result = await p.wg(['viz', '--dot', '--mermaid']);
    expect([result.exitCode, result.stderr, result.stdout]).toEqual([1, 'wg: give either --dot or --mermaid, not both', '']);
  });
});

describe('a flag of one value given twice', () => {
  // Upstream's clap refuses a repeated single-value flag ("the argument '--id <ID>' cannot be used multiple times";
  // its smoke scenario config_one_line_codex_route.sh looks for those words); commander kept the last one silently.
  it.each([
    [['add', 'C three', '--id', 'c1', '--id', 'c2'], "--id is given twice ('c1', then 'c2'): give it once"],
    [['add', 'C three', '-d', 'one', '--desc', 'two'], "--description is given twice ('one', then 'two'): give it once"],
    [['list', '--status', 'open', '--status', 'done'], "--status is given twice ('open', then 'done'): give it once"],
    [['edit', 'a-one', '--title', 'x', '--title', 'line\none'], "--title is given twice ('x', then 'line one'): give it once"],
    // The commands written by hand and the global flags alike.
    [['service', 'start', '--port', '1', '--port', '2'], "--port is given twice ('1', then '2'): give it once"],
    [
      ['--server', 'https://a.example', '--server', 'https://b.example', 'list'],
      "--server is given twice ('https://a.example', then 'https://b.example'): give it once",
    ],
    [['export', '--out', 'a.jsonl', '--out', 'b.jsonl'], "--out is given twice ('a.jsonl', then 'b.jsonl'): give it once"],
  ])('wg %j: one line, exit 2 as any other misuse of a flag, nothing changed', async (args, message) => {
    const before = state();
    const result = await p.wg(args);
    expect([result.exitCode, result.stderr, result.stdout]).toEqual([2, `wg: error: ${message}`, '']);
    expect(state()).toBe(before);
  });

  it("the same value twice drops nothing and is taken (upstream's wg config --model M --coordinator-model M)", async () => {
    expect(await p.wg(['list', '--status', 'done', '--status', 'done'])).toMatchObject({ exitCode: 0, stderr: '' });
  });

  it('list flags still repeat and add up', async () => {
    await p.ok(['edit', 'b-two', '--add-tag', 'x', '--add-tag', 'y,z']);
    expect((await p.json<Task>(['show', 'b-two'])).tags).toEqual(['kept', 'x', 'y', 'z']);
    await p.ok(['edit', 'b-two', '--remove-tag', 'x', '--remove-tag', 'y,z']);
    expect((await p.json<Task>(['show', 'b-two'])).tags).toEqual(['kept']);
  });
});

describe('wg archive without --yes (upstream src/commands/archive.rs: run, bulk without --yes bails)', () => {
  it('lists what it would archive on stdout, refuses on stderr, exits 1 and changes nothing', async () => {
    const before = state();
    const result = await p.wg(['archive']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')).toEqual(['Would archive 1 tasks:', expect.stringMatching(/^ {2}finished - Finished \(completed: /)]);
    expect(result.stderr).toBe('wg: Use --yes to confirm, or specify task IDs explicitly: wg archive <id1> <id2> ...');
    expect(state()).toBe(before);
    // --dry-run is a listing, not a refusal: the same list, and nothing else.
    const dryRun = await p.wg(['archive', '--dry-run']);
    expect([dryRun.exitCode, dryRun.stdout, dryRun.stderr]).toEqual([0, result.stdout, '']);
  });
});

describe('wg edit says which list items change nothing (upstream src/commands/edit.rs: run), on stdout as upstream', () => {
  const rev = async () => (await p.json<Task>(['show', 'b-two'])).rev;

  it('--remove-after of a task it does not depend on: "Not blocked by", and nothing saved', async () => {
    const before = state();
    const result = await p.wg(['edit', 'b-two', '--remove-after', 'nope']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual(['Not blocked by: nope', "No changes made to task 'b-two'"]);
    expect(state()).toBe(before);
    // An edit refused for another reason says only why.
    const refused = await p.wg(['edit', 'b-two', '--remove-after', 'nope', '--cron', '0 9 * * *', '--schedule', '09:00']);
    expect([refused.exitCode, refused.stderr]).toEqual([1, 'wg: give either --cron or --schedule, not both']);
    expect(state()).toBe(before);
  });

  it('--add-after of a dependency it has: "Already blocked by", and nothing saved', async () => {
    const before = await rev();
    const result = await p.wg(['edit', 'b-two', '--add-after', 'a-one']);
    expect([result.exitCode, result.stderr, result.stdout.trim()]).toEqual([
      0,
      '',
      "Already blocked by: a-one\nNo changes made to task 'b-two'",
    ]);
    expect(await rev()).toBe(before);
  });

  it('tags and skills likewise; beside a change, in the order upstream says them', async () => {
    const result = await p.wg([
      'edit',
      'b-two',
      '--add-tag',
      'kept',
      '--remove-tag',
      'absent',
      '--add-skill',
      'rust',
      '--remove-skill',
      'go',
      '--add-tag',
      'new',
    ]);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(result.stdout.trim().split('\n')).toEqual([
      'Already has tag: kept',
      'Added tag: new',
      'Does not have tag: absent',
      'Already has skill: rust',
      'Does not have skill: go',
      '',
      "Task 'b-two' updated successfully",
    ]);
    expect((await p.json<Task>(['show', 'b-two'])).tags).toEqual(['kept', 'new']);
  });
});

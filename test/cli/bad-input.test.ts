import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectState } from '../helpers/project-state';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject();
beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'A']);
  await p.ok(['add', 'B', '--after', 'a']);
});
afterAll(() => p.remove());

/** Every row and settings file of the project (read in this process, no `wg` start): what "nothing changed" compares. */
const state = () => projectState(join(p.root, '.workgraph'));

const cases: Array<[string, string[], RegExp]> = [
  ['unknown task', ['show', 'nope'], /^wg: task 'nope' not found$/],
  ['unknown task on done', ['done', 'nope'], /^wg: task 'nope' not found$/],
  [
    'unknown dependency',
    ['add', 'C', '--after', 'ghost'],
    /^wg: dependency 'ghost' does not exist; --paused or --allow-phantom lets a task name one made later$/,
  ],
  ['duplicate id', ['add', 'Again', '--id', 'a'], /^wg: task 'a' already exists$/],
  [
    'bad priority',
    ['add', 'C', '--priority', 'urgent'],
    /^wg: priority 'urgent' is neither a level \(critical, high, normal, low, idle\) nor a number/,
  ],
  ['bad id', ['add', 'C', '--id', 'has space'], /^wg: 'has space' is not a valid task id: a task id holds only/],
  ['path as id', ['add', 'C', '--id', '../../etc'], /^wg: '..\/..\/etc' is not a valid task id/],
  ['malformed JSON', ['done', 'a', '--artifacts', '{oops'], /^wg: artifacts is not valid JSON: \{oops$/],
  [
    'very deep JSON',
    ['done', 'a', '--artifacts', `${'['.repeat(20_000)}${']'.repeat(20_000)}`],
    /^wg: artifacts is nested too deeply \(more than 64 levels/,
  ],
  // A value with a line break (two ids pasted as one, `wg show "$(…)"` of a two-line answer) is quoted escaped: as it
  // is, the refusal's line would end at the break, and all a person read would be "wg: 'a".
  ['two ids as one', ['show', 'a\nb'], /^wg: 'a\\nb' is not a valid task id: a task id holds only letters/],
  ['an agent with a line break', ['kill', 'agent-1\r\nagent-2'], /^wg: agent 'agent-1\\r\\nagent-2' not found$/],
  [
    'a priority with a line break',
    ['reprioritize', 'a', 'hi\ngh'],
    /^wg: priority 'hi\\ngh' is neither a level \(critical, high, normal, low, idle\) nor a number like 50$/,
  ],
  ['an unknown command with a line break', ['a\nb'], /^wg: error: unknown command 'a\\nb'$/],
  ['a choice with a line break', ['list', '--status', 'op\nen'], /^wg: error: option '--status <value>' argument 'op\\nen' is invalid\./],
  ['a delay with a line break', ['add', 'C', '--delay', '5\nm'], /^wg: invalid delay '5\\nm': give a whole number with s, m, h or d/],
  ['cycle', ['add-dep', 'a', 'b'], /^wg: dependency would create a cycle: a -> b -> a$/],
  // Upstream's link.rs words (link_self_rejected).
  ['self dependency', ['add-dep', 'a', 'a'], /^wg: task 'a' cannot depend on itself$/],
  ['bad score', ['evaluate', 'record', 'a', '--score', '7'], /^wg: score must be at most 1$/],
  ['score not a number', ['evaluate', 'record', 'a', '--score', 'high'], /^wg: score must be a number$/],
  ['bad dimension', ['evaluate', 'record', 'a', '--score', '0.5', '--dim', 'nonsense'], /--dim takes name=value/],
  ['bad schedule', ['add', 'C', '--schedule', 'every tuesday'], /^wg: schedule 'every tuesday' is not a time of day/],
  // Carried into March, it would be past already, and the task would run at once.
  [
    'schedule on a day that is not',
    ['add', 'C', '--schedule', '2026-02-30T09:00'],
    /^wg: schedule '2026-02-30T09:00' is not a real date and time$/,
  ],
  [
    'schedule on no leap day',
    ['add', 'C', '--schedule', '2027-02-29 09:00'],
    /^wg: schedule '2027-02-29 09:00' is not a real date and time$/,
  ],
  ['not a number', ['config', '--max-agents', 'many'], /^wg: max-agents must be a whole number$/],
  ['too many agents', ['config', '--max-agents', '1000'], /^wg: max-agents must be at most 256$/],
  ['empty title', ['add', ' '], /^wg: title cannot be empty$/],
  // A missing required option is named by its flag, as upstream's clap names it.
  ['missing --reason', ['reject', 'a'], /^wg: --reason is required$/],
  ['missing --from', ['reclaim', 'a', '--to', 'x'], /^wg: --from is required$/],
  ['missing --until', ['wait', 'a'], /^wg: --until is required$/],
  ['unknown flag', ['add', 'C', '--bogus'], /unknown option '--bogus'/],
  ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ['missing argument', ['add'], /missing required argument 'title'/],
  ['empty import file name', ['import', ''], /^wg: the file name is empty: give a file to read$/],
  ['empty --out', ['export', '--out', ' '], /^wg: the file name is empty: give a file to write$/],
  ['missing import file', ['import', '/nonexistent/file.jsonl'], /^wg: cannot read \/nonexistent\/file.jsonl: no such file or folder$/],
  // A dependency that is not there is no error (upstream's rm-dep): a task that is not there is.
  ['rm dep of a missing task', ['rm-dep', 'b', 'nope'], /^wg: task 'nope' not found$/],
  ['done twice', ['abandon', 'nope'], /^wg: task 'nope' not found$/],
  ['retry open task', ['retry', 'a'], /only in-progress, failed, abandoned, incomplete or failed-pending-eval tasks can be retried/],
  ['unknown model', ['model', 'set-default', 'gpt-nothing'], /^wg: model 'gpt-nothing' not found$/],
  ['http executor without endpoint', ['executor', 'add', 'service', '--type', 'http'], /needs an endpoint/],
  // Saved as given, it would fail only when a run posts to it.
  [
    'http executor posting to a file',
    ['executor', 'add', 'service', '--type', 'http', '--endpoint', 'file:///etc/passwd'],
    /^wg: endpoint must be a web address \(http:\/\/… or https:\/\/…\) \(got 'file:\/\/\/etc\/passwd'\)$/,
  ],
  [
    "model endpoint that is neither an address nor an endpoint's name",
    ['model', 'add', 'm', '--provider', 'openai', '--endpoint', 'not a url'],
    /^wg: endpoint must be a web address \(http:\/\/… or https:\/\/…\) or the name of an \[\[llm_endpoints.endpoints\]\] entry \(got 'not a url'\)$/,
  ],
  [
    'model endpoint of another scheme',
    ['model', 'add', 'm', '--provider', 'openai', '--endpoint', 'ftp://host/v1'],
    /^wg: endpoint must be a web address/,
  ],
];

describe('bad input', () => {
  it.each(cases)('%s: one line on stderr, nonzero exit, nothing changed', async (_name, args, message) => {
    const before = state();
    const result = await p.wg(args);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    // No schema library's own wording reaches a person.
    expect(result.stderr).not.toMatch(/Invalid input|expected \w+, received|Too (small|big)|Invalid option/);
    expect(result.stdout).toBe('');
    expect(state()).toBe(before);
  });

  it('rejects a malformed import file without importing any of it', async () => {
    const file = join(p.root, 'bad.jsonl');
    writeFileSync(file, '{"id":"x","title":"X"}\n{not json\n');
    const before = state();
    const result = await p.wg(['import', file]);
    expect(result.stderr.trim()).toBe('wg: line 2: this is not valid JSON');
    expect(state()).toBe(before);
  });

  it('rejects a line nested deeper than any task, in one line and not with a stack overflow', async () => {
    const file = join(p.root, 'deep.jsonl');
    writeFileSync(file, `{"id":"d","title":"t","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
    const before = state();
    const result = await p.wg(['import', file]);
    expect(result.stderr.trim()).toBe('wg: line 1 is nested too deeply (more than 64 levels of arrays and objects)');
    expect(state()).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ExecutorProfile } from '../../src/shared/config-types';
import { projectState } from '../helpers/project-state';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject();
beforeAll(async () => {
  await p.ok(['init']);
});
afterAll(() => p.remove());

describe('wg executor add --args with an unclosed quote', () => {
  it('is refused in one line naming the quote, and nothing is saved', async () => {
    const before = projectState(join(p.root, '.workgraph'));
    for (const [text, quote] of [
      ['--message "{prompt} --model {model}', '"'],
      ["'unterminated", "'"],
    ] as const) {
      const result = await p.wg(['executor', 'add', 'x10', '--type', 'cli', '--command', 'foo', '--args', text]);
      expect(result.exitCode, text).not.toBe(0);
      expect(result.stderr, text).toBe(`wg: --args has an unclosed ${quote} quote`);
    }
    expect(projectState(join(p.root, '.workgraph'))).toEqual(before);
    const names = (await p.json<ExecutorProfile[]>(['executor', 'list'])).map((e) => e.name);
    expect(names).not.toContain('x10');
  });

  it('still takes closed quotes, escaped quotes, and a quote inside a comment', async () => {
    await p.ok(['executor', 'add', 'ok1', '--type', 'cli', '--command', 'foo', '--args', `-m "it's" \\' {prompt} # don't`]);
    const profile = (await p.json<ExecutorProfile[]>(['executor', 'list'])).find((e) => e.name === 'ok1');
    expect(profile?.args).toEqual(['-m', "it's", "'", '{prompt}']);
  });
});

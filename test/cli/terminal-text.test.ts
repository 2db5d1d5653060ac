import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainText } from '../../src/core/text/plain-text';
import { TempProject } from '../helpers/wg-cli';
import { HOSTILE, STEERS } from './support/hostile-text';

/**
 * User data reaches a terminal as text, never as commands to it: wg's own output, in-process. An agent
 * daemon's output and the coordinator's log are in terminal-text.process.test.ts.
 */
const p = new TempProject('wg-terminal-');
afterAll(() => p.remove());

describe('terminal output', () => {
  it('strips escape sequences and control characters from titles, logs and errors; --json keeps them exactly', async () => {
    await p.ok(['init']);
    // wg add refuses such a title; one still comes in with a graph written elsewhere (upstream's graph.jsonl, wg import).
    expect(await p.wg(['add', HOSTILE, '--id', 'evil'])).toMatchObject({
      exitCode: 1,
      stderr: 'wg: a title holds no line break or other control character',
    });
    const graph = join(p.root, 'hostile.jsonl');
    const description = `line one\n\tline two \u001b[31mred\u001b[0m`;
    writeFileSync(graph, `${JSON.stringify({ kind: 'task', id: 'evil', title: HOSTILE, description })}\n`);
    await p.ok(['import', graph]);
    await p.ok(['log', 'evil', `found \u001b[1A\u001b[Kit`]);
    for (const args of [['list'], ['show', 'evil'], ['ready']]) {
      const out = await p.ok(args);
      expect(out, args.join(' ')).not.toMatch(STEERS);
      expect(out).toContain('Fix the bug link now');
    }
    expect(await p.ok(['show', 'evil'])).toContain('line one\n');
    const raw = await p.ok(['show', 'evil', '--json']);
    // Escaped, not raw: JSON.stringify leaves C1 (and bidi overrides) as they are.
    expect(raw).not.toMatch(STEERS);
    const json = JSON.parse(raw) as { title: string };
    expect(json.title).toBe(HOSTILE);
    const refused = await p.wg(['add', 'Again', '--id', 'evil']);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test checks that no escape character reaches the terminal
    expect(refused.stderr).not.toMatch(/\u001b/);
  });

  it('keeps newlines and tabs, removes everything else that steers a terminal', () => {
    expect(plainText('a\u001b[31mb\u001b[0m\tc\nd\re\u0007\u202eg')).toBe('ab\tc\ndeg');
  });
});

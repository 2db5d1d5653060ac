import { afterAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';
import { plainText } from '../../src/cli/plain-text';

/** User data reaches a terminal as text, never as commands to it (issue 27, item 6). */
const p = new TempProject('wg-terminal-');
afterAll(() => p.remove());

// A window title (OSC 0), a screen clear (CSI 2J), a hyperlink (OSC 8), a bell, a carriage return and a C1 CSI.
const HOSTILE = 'Fix \u001b]0;pwned\u0007the \u001b[2Jbug \u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\\r \u009b31m\u0008now';

describe('terminal output', () => {
  it('strips escape sequences and control characters from titles, logs and errors; --json keeps them exactly', async () => {
    await p.ok(['init']);
    await p.ok(['add', HOSTILE, '--id', 'evil', '-d', `line one\n\tline two \u001b[31mred\u001b[0m`]);
    await p.ok(['log', 'evil', `found \u001b[1A\u001b[Kit`]);
    for (const args of [['list'], ['show', 'evil'], ['ready']]) {
      const out = await p.ok(args);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the test checks that no control character reaches the terminal
      expect(out, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(out).toContain('Fix the bug link now');
    }
    expect(await p.ok(['show', 'evil'])).toContain('line one\n');
    const json = JSON.parse(await p.ok(['show', 'evil', '--json'])) as { title: string };
    expect(json.title).toBe(HOSTILE);
    const refused = await p.wg(['add', 'Again', '--id', 'evil']);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test checks that no escape character reaches the terminal
    expect(refused.stderr).not.toMatch(/\u001b/);
  });

  it('keeps newlines and tabs, removes everything else that steers a terminal', () => {
    expect(plainText('a\u001b[31mb\u001b[0m\tc\nd\re\u0007')).toBe('ab\tc\nde');
  });
});

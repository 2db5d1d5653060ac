import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { showProject } from './support/show-project';
import { WG_BIN } from '../helpers/wg-cli';

/** `wg show` on a terminal (script(1) gives the `wg` process a pseudo-terminal); the rest of it is in show.test.ts. */
const ESC = '\u001b[';
const p = showProject();

/**
 * `wg show` as on a terminal: under script(1), which gives the command a pseudo-terminal. NO_COLOR is
 * cleared unless the case sets it, because CI machines often export it (it made this test fail there).
 */
async function onTerminal(args: string[], env: Record<string, string> = {}): Promise<string> {
  const command = [process.execPath, WG_BIN, ...args].map((a) => `'${a}'`).join(' ');
  const result = await execa('script', ['-qec', command, '/dev/null'], {
    cwd: p.root,
    env: { ...p.env, NO_COLOR: undefined, ...env },
  });
  return result.stdout.replace(/\r/g, '');
}

describe('wg show', () => {
  it('on a terminal: relative times and coloured statuses, no colour with NO_COLOR', async () => {
    const page = await onTerminal(['show', 'research']);
    expect(page).toMatch(/^ {2}Created +(now|\d+ seconds? ago)$/m);
    expect(page).toContain(`${ESC}34min-progress`);
    const plain = await onTerminal(['show', 'research'], { NO_COLOR: '1' });
    expect(plain).toMatch(/^ {2}Created +(now|\d+ seconds? ago)$/m);
    expect(plain).not.toContain(ESC);
  });

  it('on a terminal: an incomplete task in its retry delay says how long is left', async () => {
    await p.ok(['add', 'Half done', '--id', 'half']);
    await p.ok(['claim', 'half', '--agent', 'agent-9']);
    await p.ok(['incomplete', 'half', '--reason', 'tests missing']);
    expect(await onTerminal(['show', 'half'])).toMatch(/^ {2}Status +incomplete, in its retry delay, starts again in \d+ seconds$/m);
  });
});

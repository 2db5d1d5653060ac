import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/message';
import { TempProject } from '../helpers/wg-cli';

/**
 * `wg msg send --stdin` from a real pipe into a `wg` process. The rest of `wg msg` on the command line is
 * in msg-cli.test.ts (in-process).
 */
const p = new TempProject('wg-msg-');
beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'empty-1', '--id', 'empty-1']);
});
afterAll(() => p.remove());

describe('wg msg send and list', () => {
  it('reads the body from standard input with --stdin (trailing newlines dropped)', async () => {
    const { execa } = await import('execa');
    const result = await execa('node', [join(import.meta.dirname, '../../bin/wg.js'), 'msg', 'send', 'empty-1', '--stdin'], {
      cwd: p.root,
      env: p.env,
      input: 'line one\nline two\n\n',
    });
    expect(result.stdout).toBe("Message #1 sent to 'empty-1'");
    expect((await p.json<Message[]>(['msg', 'list', 'empty-1']))[0]?.body).toBe('line one\nline two');
  });
});

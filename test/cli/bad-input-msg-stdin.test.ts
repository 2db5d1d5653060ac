import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Message } from '../../src/shared/message';
import { projectState } from '../helpers/project-state';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject();
beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'C1', '--id', 'c1']);
});
afterAll(() => p.remove());

describe('wg msg send with a message and --stdin', () => {
  it('is refused in one line, and no message is stored', async () => {
    const before = projectState(join(p.root, '.workgraph'));
    const result = await p.wg(['msg', 'send', 'c1', 'hello', '--stdin'], { input: 'x' });
    expect(result).toMatchObject({ exitCode: 1, stdout: '', stderr: 'wg: give the message as an argument or with --stdin, not both' });
    expect(projectState(join(p.root, '.workgraph'))).toEqual(before);
  });

  it('either one alone is still taken', async () => {
    await p.ok(['msg', 'send', 'c1', 'hello']);
    expect((await p.wg(['msg', 'send', 'c1', '--stdin'], { input: 'from stdin\n' })).exitCode).toBe(0);
    expect((await p.json<Message[]>(['msg', 'list', 'c1'])).map((m) => m.body)).toEqual(['hello', 'from stdin']);
  });
});

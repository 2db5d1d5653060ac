import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandReference } from '../../scripts/command-reference';

/** docs/commands.md is made from the command table; a command or flag changed without `npm run docs` fails here. */
describe('the command reference', () => {
  it('docs/commands.md says what the command table accepts (run `npm run docs` after changing a command)', async () => {
    expect(readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8')).toBe(await commandReference());
  });

  it('names every command and flag wg parses, the hidden ones aside', async () => {
    const reference = await commandReference();
    for (const heading of ['## wg add', '### wg model add', '### wg service start', '## wg msg', '### wg msg send']) {
      expect(reference).toContain(`\n${heading}\n`);
    }
    expect(reference).toContain('| `--after <value>` | dependencies, comma separated or repeated |');
  });
});

import { execa } from 'execa';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScript } from '../helpers/bundled-script';
import { REPO, TempProject } from '../helpers/wg-cli';

const PROCESSES = 8;
const EACH = 25;

const p = new TempProject('wg-config-race-');
const config = () => join(p.root, '.workgraph/config.toml');
const models = () => Object.keys((parse(readFileSync(config(), 'utf8')) as { models?: Record<string, unknown> }).models ?? {});
beforeAll(async () => {
  await p.ok(['init']);
});
afterAll(() => p.remove());

/** Regression test for what fuzzing found: eight `wg model add` at once lost 31 of 200 entries (read-modify-write, no lock). */
describe('concurrent config writes', () => {
  it(`keep every entry of ${PROCESSES} processes adding ${EACH} models each`, async () => {
    const helper = await bundledScript(join(REPO, 'test/config/helpers/add-models.ts'));
    try {
      await Promise.all(
        Array.from({ length: PROCESSES }, (_, w) =>
          execa(process.execPath, [helper, join(p.root, '.workgraph'), `m-${w}`, String(EACH)], { env: p.env }),
        ),
      );
    } finally {
      rmSync(helper, { force: true });
    }
    expect(models()).toHaveLength(PROCESSES * EACH);
  }, 120_000);

  it(`keep every one of ${PROCESSES} wg model add started at once`, async () => {
    const before = models().length;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, w) =>
        p.wgProcess(['model', 'add', `cli-${w}`, '--provider', 'openrouter', '--model-id', `vendor/cli-${w}`]),
      ),
    );
    for (const result of results) expect(result.stderr).toBe('');
    expect(models()).toHaveLength(before + PROCESSES);
  }, 120_000);
});

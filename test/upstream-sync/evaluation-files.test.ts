import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { wgInProcess } from '../helpers/wg-cli';
import { upstreamFolder } from '../helpers/upstream-folder';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Beside upstream's graph.jsonl an evaluation recorded here is written where upstream's `wg` reads it, as its
 * record_evaluation writes it (`agency/evaluations/eval-<task>-<time>.json`): upstream saw a task evaluated here (its
 * `.evaluate-X` done) with no evaluation at all. (A file upstream wrote is never overwritten: test/agency/yaml-layout.test.ts.)
 */

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

const wg = (args: string[]) => wgInProcess(args, { cwd: root, env: { WG_HOME: join(root, '.home') } });

describe('an evaluation recorded beside upstream', () => {
  it("is written to upstream's agency/evaluations as upstream's own, once", async () => {
    ({ root } = upstreamFolder('wg-eval-files-', [
      { id: 'build', status: 'done' },
      { id: 'ship', status: 'done' },
    ]));
    const evaluations = join(root, '.wg', 'agency', 'evaluations');
    expect(await wg(['evaluate', 'record', 'build', '--score', '0.8', '--notes', 'fine'])).toMatchObject({ exitCode: 0 });
    const [name] = readdirSync(evaluations);
    expect(name).toMatch(/^eval-build-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(\.\d+)?Z\.json$/);
    const body = JSON.parse(readFileSync(join(evaluations, name as string), 'utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: (name as string).replace(/\.json$/, ''),
      task_id: 'build',
      score: 0.8,
      notes: 'fine',
      source: 'manual',
    });

    // The next one is written beside it; the one before is not written again (upstream has since changed it).
    writeFileSync(join(evaluations, name as string), '{"id":"changed-upstream"}\n');
    expect(await wg(['evaluate', 'record', 'ship', '--score', '0.6'])).toMatchObject({ exitCode: 0 });
    const names = readdirSync(evaluations);
    expect(names).toHaveLength(2);
    expect(names).toContainEqual(expect.stringMatching(/^eval-ship-/));
    expect(readFileSync(join(evaluations, name as string), 'utf8')).toBe('{"id":"changed-upstream"}\n');
  });

  it('is not written in a project of this app alone', async () => {
    const p = new InProcessProject('wg-eval-files-own-');
    root = p.root;
    await p.ok(['init']);
    await p.ok(['add', 'Build', '--id', 'build']);
    await p.ok(['evaluate', 'record', 'build', '--score', '0.8']);
    expect(existsSync(join(root, '.workgraph', 'agency', 'evaluations'))).toBe(false);
  });
});

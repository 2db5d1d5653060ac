import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { WG_BIN } from '../helpers/wg-cli';
import { waitFor } from '../service/helpers/daemon-project';
import { GIT_ENV, GitProject } from './git-project';

/**
 * An agent's `wg done` stopped (Ctrl-C, a kill) after it moved the base branch and before it recorded the merge leaves
 * the task in progress with its squash commit on main. Merged again from its fork point, the agent's next commits and
 * `wg done` would meet that squash commit in every file and conflict, and every retry the same way. The merge's test pause (WG_TEST_MERGE_PAUSE) stops the first done
 * exactly there, and it is killed.
 */
Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-interrupted-done-');
const pauses = () => join(p.root, 'pauses');

beforeAll(async () => {
  await p.init({ 'README.md': '# project\n' });
  mkdirSync(pauses());
  // Only the moment after the base branch moved stops a merge.
  writeFileSync(join(pauses(), 'before-ref.go'), '');
});
afterAll(() => p.remove());

describe('a wg done stopped after the base branch moved', () => {
  it('is recognised by the next done, which merges only what the branch gained since, and the task is done', async () => {
    const agent = await p.startAgent('kd', 'agent-1');
    p.commit(agent.path, 'kd.txt', 'work\n', 'kd');
    const first = execa('node', [WG_BIN, 'done', 'kd'], {
      cwd: agent.path,
      env: { ...p.env, ...agent.env, WG_TEST_MERGE_PAUSE: pauses() },
      reject: false,
    });
    const reached = join(pauses(), 'after-ref.reached');
    await waitFor('the merge stopped after main moved', () => existsSync(reached), 60_000);
    process.kill(Number(readFileSync(reached, 'utf8').trim()), 'SIGKILL');
    await first;
    const landed = p.tip();
    expect(p.git(['log', '-1', '--format=%s', 'main']).trim()).toBe('feat: kd (agent-1)');
    expect((await p.json<Task>(['show', 'kd'])).status).toBe('in-progress');

    // The agent goes on, and says done again.
    p.commit(agent.path, 'kd.txt', 'work\nmore\n', 'kd, second');
    await p.ok(['done', 'kd'], { cwd: agent.path, env: agent.env });
    const task = await p.json<Task>(['show', 'kd']);
    expect(task.status).toBe('done');
    expect(p.show('main', 'kd.txt')).toBe('work\nmore\n');
    expect(p.git(['rev-parse', 'main^']).trim()).toBe(landed);
    expect(task.log.map((l) => l.message)).toContain(
      `A merge of this work had landed on main as ${landed.slice(0, 10)} without being recorded (a done stopped part way): only what ${agent.branch} gained since is merged`,
    );
  });
});

import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigView } from '../../../src/core/coordinator/config-view';
import { claimTask, newRunId } from '../../../src/core/runs/claiming/claim';
import { ensureProjectDirs, projectPaths } from '../../../src/core/project';
import { statementsDuring } from '../../helpers/statements';
import { Store } from '../../../src/core/store/store';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-claim-')));
const paths = projectPaths(join(root, '.workgraph'));
ensureProjectDirs(paths);
process.env.WG_HOME = join(root, '.home');
const store = new Store(paths.db);

afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

const claim = (taskId: string) => claimTask(store, paths, new ConfigView(paths, {}, () => undefined).current(), {
  taskId, byHand: false, apiUrl: null, apiToken: null, hostEnv: process.env,
});

describe('claiming a task', () => {
  it("reads a shell task's own row only: not its log, tags or dependencies, which its command never sees", () => {
    store.tasks.add({ title: 'base', id: 'base' }, 'test');
    store.tasks.add({ title: 'shell', id: 'shell', exec: 'true', after: ['base'], tags: ['x'] }, 'test');
    store.tasks.done('base', {}, 'test');
    for (let i = 0; i < 3; i++) store.tasks.log('shell', `note ${i}`, 'test');
    const seen = statementsDuring(store.core, () => {
      const claimed = claim('shell');
      expect(claimed.spec).toMatchObject({ kind: 'process', command: 'bash', args: ['-c', 'true'] });
    });
    const reads = seen.filter((text) => /^\s*SELECT/i.test(text));
    expect(reads.filter((text) => /\b(task_log|task_tags|deps|loose_deps)\b/.test(text))).toEqual([]);
    // The claim itself is written as before: the task in progress, the spawn in its log.
    expect(store.get('shell')).toMatchObject({ status: 'in-progress' });
    expect(store.get('shell').log.at(-1)?.message).toMatch(/^Spawned by coordinator --executor shell/);
  });

  it('still reads the whole task for a run that gets a prompt (its dependencies and log are in it)', () => {
    store.tasks.add({ title: 'agent work', id: 'agent-work', executor: 'claude', after: ['base'] }, 'test');
    store.tasks.log('agent-work', 'a note for the agent', 'test');
    const claimed = claim('agent-work');
    expect(claimed.task.after).toEqual(['base']);
    expect(claimed.task.log.map((entry) => entry.message)).toContain('a note for the agent');
  });
});

describe('a claim refused', () => {
  it('changes nothing before it is refused, so a turn without savepoints goes on (and agent ids stay in sequence)', () => {
    store.tasks.add({ title: 'by hand', id: 'by-hand', executor: 'manual' }, 'test');
    store.tasks.add({ title: 'next', id: 'next', exec: 'true' }, 'test');
    const seq = () => store.core.sql<{ value: number }>("SELECT value FROM meta WHERE key = 'agent_seq'").get()?.value;
    const before = seq() ?? 0;
    const claimed = store.core.batch(() => {
      expect(() => claim('by-hand')).toThrow(/done by hand/);
      return claim('next');
    }, { savepoints: false });
    expect(claimed.agent.id).toBe(`agent-${before + 1}`);
    expect(seq()).toBe(before + 1);
    expect(store.get('by-hand')).toMatchObject({ status: 'open', assigned: null });
    expect(store.get('next')).toMatchObject({ status: 'in-progress', assigned: claimed.agent.id });
  });
});

describe('run ids', () => {
  it('are 128 random bits in hex, never repeated, also where a new batch of random bytes is drawn', () => {
    const ids = Array.from({ length: 1000 }, () => newRunId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

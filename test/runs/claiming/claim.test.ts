import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigView } from '../../../src/core/config/config-view';
import { claimTask, newRunId } from '../../../src/core/runs/claiming/claim';
import { ensureProjectDirs, projectPaths } from '../../../src/core/project';
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

const claim = (taskId: string) =>
  claimTask(store, paths, new ConfigView(paths, {}, () => undefined).current(), {
    taskId,
    byHand: false,
    apiUrl: null,
    apiToken: null,
    hostEnv: process.env,
  });

describe('claiming a task', () => {
  it('reads the whole task (its dependencies and log are in a prompt)', () => {
    store.tasks.add({ title: 'base', id: 'base' }, 'test');
    store.tasks.done('base', {}, 'test');
    store.tasks.add({ title: 'agent work', id: 'agent-work', executor: 'claude', after: ['base'] }, 'test');
    store.tasks.log('agent-work', 'a note for the agent', 'test');
    const claimed = claim('agent-work');
    expect(claimed.task.after).toEqual(['base']);
    expect(claimed.task.log.map((entry) => entry.message)).toContain('a note for the agent');
  });
});

describe('how messages reach the run, told truly', () => {
  // On stdin (claude, amplifier) or as codex's last argument.
  const promptOf = (claimed: ReturnType<typeof claim>) =>
    claimed.spec.kind === 'process' ? (claimed.spec.stdin ?? claimed.spec.args[claimed.spec.args.length - 1] ?? '') : '';

  it('a Claude Code or codex run gets the hooks: its prompt says new messages come after its tool calls, and its record says so', () => {
    for (const executor of ['claude', 'codex']) {
      store.tasks.add({ title: `${executor} run`, id: `hooked-${executor}`, executor }, 'test');
      const claimed = claim(`hooked-${executor}`);
      expect(promptOf(claimed)).toContain('New ones are handed to you after your tool calls');
      expect(store.agents.find(claimed.agent.id)?.message_hooks).toBe(true);
    }
  });

  it('an amplifier run gets none: its prompt tells it to check at breakpoints, and the window is not told otherwise', () => {
    store.tasks.add({ title: 'amplifier run', id: 'polling-amplifier', executor: 'amplifier' }, 'test');
    const claimed = claim('polling-amplifier');
    expect(promptOf(claimed)).not.toContain('handed to you after your tool calls');
    expect(promptOf(claimed)).toContain('natural breakpoints in your work');
    expect(store.agents.find(claimed.agent.id)?.message_hooks).toBeUndefined();
  });
});

describe('a claim refused', () => {
  it('changes nothing before it is refused, so the turn goes on (and agent ids stay in sequence)', () => {
    store.tasks.add({ title: 'by hand', id: 'by-hand', executor: 'manual' }, 'test');
    store.tasks.add({ title: 'next', id: 'next', exec: 'true' }, 'test');
    const seq = () => store.core.sql<{ value: number }>("SELECT value FROM meta WHERE key = 'agent_seq'").get()?.value;
    const before = seq() ?? 0;
    const claimed = store.core.batch(() => {
      expect(() => claim('by-hand')).toThrow(/done by hand/);
      return claim('next');
    });
    expect(claimed.agent.id).toBe(`agent-${before + 1}`);
    expect(seq()).toBe(before + 1);
    expect(store.get('by-hand')).toMatchObject({ status: 'open', assigned: null });
    expect(store.get('next')).toMatchObject({ status: 'in-progress', assigned: claimed.agent.id });
  });
});

describe('run ids', () => {
  it('are 128 random bits in hex, never repeated', () => {
    const ids = Array.from({ length: 1000 }, () => newRunId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

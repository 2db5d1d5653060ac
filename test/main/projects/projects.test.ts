import { describe, expect, it, vi } from 'vitest';
import type { AgentSummary, TaskSummary } from '../../../src/main/notifications/notify-decision';
import { needsYouSetupFrom, summarizeProject, totals } from '../../../src/main/projects/project-summary';
import type { ConfigEntry } from '../../../src/shared/config-types';
import { WgError } from '../../../src/shared/errors';

type Handler = (event: unknown, input: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();
vi.mock('electron', () => ({ ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) } }));
vi.mock('../../../src/main/logging', () => ({ log: { warn: vi.fn(), error: vi.fn(), info: vi.fn() } }));
const { registerAppHandlers, runAppOp } = await import('../../../src/main/ipc/app-ipc');

function task(id: string, status: TaskSummary['status'], extra: Partial<TaskSummary> = {}): TaskSummary {
  return {
    id,
    title: `Task ${id}`,
    status,
    paused: false,
    after: [],
    failure_reason: null,
    executor: null,
    exec: null,
    extra: {},
    not_before: null,
    worktree_conflict: [],
    ...extra,
  };
}

const agent = (id: string, taskId: string, state: AgentSummary['state'] = 'working'): AgentSummary => ({
  id,
  task_id: taskId,
  executor: 'claude',
  state,
});

describe('what the All projects view says of a project', () => {
  const tasks = [
    task('build', 'in-progress'),
    task('broken', 'failed', { failure_reason: 'tests fail' }),
    task('review', 'open', { executor: 'manual' }),
    task('later-review', 'open', { executor: 'manual', after: ['build'] }),
    task('paused-review', 'open', { executor: 'pilot', paused: true }),
    task('clash', 'failed', { failure_reason: 'merge conflict', worktree_conflict: ['a.ts'] }),
    task('fixing', 'in-progress', { worktree_conflict: ['b.ts'] }),
    task('shell', 'open', { executor: 'shell' }),
    task('ask', 'waiting', { extra: { wait_condition: { mode: 'all', conditions: [{ type: 'human-input' }] } } }),
    task('timer', 'waiting', {
      extra: { wait_condition: { mode: 'all', conditions: [{ type: 'timer', resume_after: '2099-01-01T00:00:00Z' }] } },
    }),
    task('approve-me', 'pending-validation'),
    task('judge-me', 'pending-eval'),
    task('after-broken', 'open', { after: ['broken'] }),
    task('not-yet', 'open', { executor: 'manual', not_before: '2099-01-01T00:00:00Z' }),
  ];
  const setup = needsYouSetupFrom(
    [
      { key: 'coordinator.executor', value: 'claude', source: 'default' },
      { key: 'agency.auto_evaluate', value: false, source: 'default' },
    ] as ConfigEntry[],
    [
      { name: 'manual', type: 'manual' },
      { name: 'pilot', type: 'manual' },
    ],
  );

  it('lists working agents, failed tasks, and tasks only a person can move on', () => {
    const summary = summarizeProject({
      folder: '/p/shop',
      name: 'shop',
      current: true,
      service: 'running',
      tasks,
      agents: [agent('agent-1', 'build'), agent('agent-0', 'broken', 'failed')],
      setup,
      now: Date.parse('2026-11-29T00:00:00Z'),
    });
    expect(summary.working).toEqual([{ id: 'agent-1', task_id: 'build', task_title: 'Task build', executor: 'claude' }]);
    expect(summary.failed.map((t) => [t.id, t.note])).toEqual([
      ['broken', 'tests fail'],
      ['clash', 'merge conflict'],
    ]);
    // What only a person moves on (needs-you.ts), in the graph's order: a failed task others wait on, a ready manual
    // task (not blocked, paused or due later), a wait for a reply, an approval, an evaluation nothing runs; and
    // conflicts no agent is working on.
    expect(summary.waiting.map((t) => [t.id, t.note])).toEqual([
      ['broken', 'failed; 1 task waits on it'],
      ['review', 'yours to do'],
      ['clash', 'merge conflict in a.ts'],
      ['ask', 'waits for your reply'],
      ['approve-me', 'awaits your approval'],
      ['judge-me', 'no evaluation will run'],
    ]);
  });

  it('adds up the totals across projects', () => {
    const one = {
      working: [agent('a', 'x')].map((a) => ({ ...a, task_title: '' })),
      failed: [],
      waiting: [{ id: 'r', title: 'R', note: null }],
    };
    expect(totals([one, one])).toEqual({ projects: 2, working: 2, failed: 0, waiting: 2 });
  });
});

describe('the app operations', () => {
  const target = {
    overview: async () => ({ projects: [] }),
    promptOpenFolder: vi.fn(async () => undefined),
    switchProject: vi.fn(async () => undefined),
    closeProject: vi.fn(async () => undefined),
    setPaused: vi.fn(async () => undefined),
    connect: vi.fn(async (url: string, token: string): Promise<void> => {
      if (!url.startsWith('http'))
        throw new WgError('invalid', `The address must start with https:// or http://, not ${url.split(':')[0]}://.`);
      void token;
    }),
  };

  it("validates input with the operation's schema before acting", async () => {
    await expect(runAppOp('app:switchProject', {}, target)).rejects.toThrow(/expected string|folder/);
    await expect(runAppOp('app:pauseProject', { paused: 'yes' }, target)).rejects.toThrow();
    expect(target.switchProject).not.toHaveBeenCalled();
    expect(target.setPaused).not.toHaveBeenCalled();
    await runAppOp('app:switchProject', { folder: '/p/docs' }, target);
    expect(target.switchProject).toHaveBeenCalledWith('/p/docs');
    await runAppOp('app:pauseProject', { paused: true }, target);
    expect(target.setPaused).toHaveBeenLastCalledWith(undefined, true);
    await runAppOp('app:pauseProject', { folder: '/p/docs', paused: false }, target);
    expect(target.setPaused).toHaveBeenLastCalledWith('/p/docs', false);
  });

  it("answer over IPC only the app's own pages, with the projects as they now are", async () => {
    registerAppHandlers(target, ['app://workgraph']);
    const handler = handlers.get('app:projects') as Handler;
    expect(await handler({ senderFrame: { url: 'app://workgraph/index.html' } }, {})).toEqual({ ok: true, value: { projects: [] } });
    expect(await handler({ senderFrame: { url: 'https://evil.example/' } }, {})).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await (handlers.get('app:closeProject') as Handler)({ senderFrame: { url: 'app://workgraph/x' } }, {})).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(target.closeProject).not.toHaveBeenCalled();
  });

  it('app:connect: an address is required; the token may be empty; a refusal is its one sentence, over IPC too', async () => {
    await expect(runAppOp('app:connect', { url: '', token: 't' }, target)).rejects.toThrow(/address/);
    expect(target.connect).not.toHaveBeenCalled();
    await runAppOp('app:connect', { url: 'https://build.example:8787#token=abc', token: '' }, target);
    expect(target.connect).toHaveBeenLastCalledWith('https://build.example:8787#token=abc', '');
    registerAppHandlers(target, ['app://workgraph']);
    const connect = handlers.get('app:connect') as Handler;
    expect(await connect({ senderFrame: { url: 'app://workgraph/index.html' } }, { url: 'ftp://x', token: 't' })).toEqual({
      ok: false,
      error: { error: 'The address must start with https:// or http://, not ftp://.', code: 'invalid' },
    });
    target.connect.mockClear();
    expect(await connect({ senderFrame: { url: 'https://evil.example/' } }, { url: 'https://x', token: 't' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(target.connect).not.toHaveBeenCalled();
  });
});

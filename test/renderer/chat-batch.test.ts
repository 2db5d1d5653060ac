import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { batchOf } from '../../src/renderer/chat/chat-batch';
import { makeTask } from '../fixtures/objects';

const log = (actor: string) => [{ timestamp: '2026-11-29T07:00:00Z', actor, message: 'x' }];
const byId = (tasks: Task[]) => new Map(tasks.map((t) => [t.id, t]));

describe('what a coordinator chat answer did to the graph', () => {
  it('tells the tasks its run made from those it changed, and keeps how the changed ones were', () => {
    const docs = makeTask({ id: 'docs', tags: ['docs'] });
    const before = byId([docs, makeTask({ id: 'other' })]);
    const now = byId([
      { ...docs, tags: ['docs', 'login'] },
      makeTask({ id: 'other' }),
      makeTask({ id: 'login-design', log: log('agent-3') }),
      makeTask({ id: 'login-build', after: ['login-design'], log: log('agent-3') }),
    ]);
    const batch = batchOf('agent-3', before, now);
    expect(batch.made).toEqual(['login-design', 'login-build']);
    expect(batch.changed).toEqual(['docs']);
    expect(batch.before.get('docs')?.tags).toEqual(['docs']);
  });

  it('leaves out what another run did meanwhile: a task it made, and a status its own work moved', () => {
    const running = makeTask({ id: 'build', status: 'in-progress' });
    const before = byId([running]);
    const now = byId([{ ...running, status: 'done', log: log('agent-2') }, makeTask({ id: 'theirs', log: log('agent-2') })]);
    expect(batchOf('agent-3', before, now)).toMatchObject({ made: [], changed: [] });
  });
});

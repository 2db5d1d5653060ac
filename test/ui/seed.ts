import type { BrowserModeServer } from './harness';

/**
 * A small project created through the ops, as a person makes one. Tasks are created paused so the
 * daemon's coordinator does not hand them to an AI agent.
 */
export async function seedProject(server: BrowserModeServer): Promise<void> {
  const add = (title: string, id: string, extra: Record<string, unknown> = {}) =>
    server.call('task:add', { title, id, paused: true, ...extra });
  await add('Design the schema', 'design', { tags: ['db'], description: 'Tables for **tasks** and agents.' });
  await add('Build the API', 'api', { after: ['design'], tags: ['backend'], model: 'sonnet' });
  await add('Write the UI', 'ui', { after: ['api'], tags: ['frontend'] });
  await add('Write docs', 'docs', { tags: ['docs'] });
  await add('Release', 'release', { after: ['ui'] });
  await server.call('task:log', { id: 'api', message: 'Endpoints sketched: /tasks, /agents', actor: 'planner' });
  await server.call('task:log', { id: 'api', message: 'Validation added with zod', actor: 'builder' });
  await server.call('eval:record', {
    id: 'api',
    score: 0.82,
    dim: { correctness: 0.9, tests: 0.75, style: 0.6 },
    evaluator: 'reviewer',
    notes: 'Solid; more tests.',
  });
  await server.call('task:done', { id: 'design' });
}

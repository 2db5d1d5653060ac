import { describe, expect, it } from 'vitest';
import { resolveModel } from '../../src/core/executors';
import { makeProfile, makeRegistry, makeSettings, makeTask } from '../fixtures/objects';

const registry = makeRegistry([{ name: 'fast-gpt', provider: 'openai', model_id: 'gpt-5-mini', tier: 'fast', cost_in: null, cost_out: null, builtin: false }]);

function resolve(task: string | null, executor: string | null, coordinator: string | null) {
  return resolveModel({
    task: makeTask({ model: task }),
    profile: makeProfile({ type: 'claude', model: executor }),
    settings: makeSettings({ model: coordinator }),
    registry,
  });
}

describe('resolveModel', () => {
  it('prefers the task model', () => {
    expect(resolve('opus', 'sonnet', 'haiku')).toEqual({ name: 'opus', id: 'opus', source: 'task' });
  });

  it('falls back to the executor profile model', () => {
    expect(resolve(null, 'fast-gpt', 'haiku')).toEqual({ name: 'fast-gpt', id: 'gpt-5-mini', source: 'executor' });
  });

  it('then to the coordinator model', () => {
    expect(resolve(null, null, 'haiku')).toEqual({ name: 'haiku', id: 'haiku', source: 'coordinator' });
  });

  it("then to the tool's own default", () => {
    expect(resolve(null, null, null)).toEqual({ name: null, id: null, source: 'default' });
  });

  it('maps registry names to their model_id and passes unknown names through as raw ids', () => {
    expect(resolve('fast-gpt', null, null)).toEqual({ name: 'fast-gpt', id: 'gpt-5-mini', source: 'task' });
    expect(resolve('claude-sonnet-4-5-20250929', null, null)).toEqual({ name: 'claude-sonnet-4-5-20250929', id: 'claude-sonnet-4-5-20250929', source: 'task' });
  });

  it('skips blank values', () => {
    expect(resolve('  ', '', 'haiku')).toEqual({ name: 'haiku', id: 'haiku', source: 'coordinator' });
  });
});

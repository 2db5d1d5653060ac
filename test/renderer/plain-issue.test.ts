import { describe, expect, it } from 'vitest';
import { validateOp } from '../../src/renderer/api/validate-op';

describe('form validation in plain language', () => {
  it('says what is wrong with each field, without zod\'s wording', () => {
    const check = validateOp('config:update', { maxAgents: 'lots', pollInterval: '0', executor: '' });
    expect(check).toEqual({
      ok: false,
      message: null,
      fields: { maxAgents: 'must be a number', pollInterval: 'must be at least 1', executor: 'required' },
    });
  });

  it('keeps the schemas\' own plain messages and explains formats and choices', () => {
    const task = validateOp('task:add', { title: ' ', id: 'bad id!', maxRetries: '1.5' });
    expect(task.ok).toBe(false);
    if (task.ok) return;
    expect(task.fields).toEqual({
      title: 'title is empty',
      id: 'task id may hold only letters, digits, ".", "_" and "-"',
      maxRetries: 'must be a whole number',
    });
    const executor = validateOp('executor:add', { name: 'remote', type: 'http', endpoint: 'not a url' });
    expect(executor.ok ? null : executor.fields.endpoint).toBe('must be a web address, like https://example.com/agent');
    const kind = validateOp('executor:add', { name: 'x', type: 'robot' as 'cli' });
    expect(kind.ok ? null : kind.fields.type).toMatch(/^must be one of: claude, codex, shell/);
  });
});

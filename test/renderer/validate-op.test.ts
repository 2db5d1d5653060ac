import { describe, expect, it } from 'vitest';
import { validateOp } from '../../src/renderer/api/validate-op';

describe('form validation next to each field', () => {
  it("gives each field its own plain sentence, without the field's name (the label says it)", () => {
    const check = validateOp('config:update', { maxAgents: 'lots', executor: '' });
    expect(check).toEqual({ ok: false, message: null, fields: { maxAgents: 'must be a whole number', executor: 'is empty' } });
  });

  it("keeps the schemas' own sentences and explains formats and choices", () => {
    const task = validateOp('task:add', { title: ' ', id: 'bad id!' });
    expect(task.ok ? null : task.fields.id).toMatch(/^'bad id!' is not a valid task id/);
    expect(task.ok ? null : task.fields.title).toBeDefined();
    const executor = validateOp('executor:add', { name: 'remote-box', type: 'http', endpoint: 'not a url' });
    expect(executor.ok ? null : executor.fields.endpoint).toBe("must be a web address (http://… or https://…) (got 'not a url')");
    const kind = validateOp('executor:add', { name: 'x', type: 'robot' as 'cli' });
    expect(kind.ok ? null : kind.fields.type).toMatch(/^must be one of: claude, codex/);
  });
});

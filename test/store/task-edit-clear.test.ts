import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpContext } from '../../src/core/ops/context';
import { dispatch } from '../../src/core/ops/dispatch';
import type { ProjectPaths } from '../../src/core/project';
import type { Task } from '../../src/shared/task';
import type { NoChange } from '../../src/shared/ops/domains/task-ops';
import { tempStore } from '../helpers/temp-store';

/*
 * `wg edit` (task:edit) taking a field back to nothing: the schedule with upstream's `--cron ""`, and the model,
 * executor, shell command and retry budget with `--clear FIELD` (upstream's `wg edit` cannot clear them). The window's
 * task form sends the same, so the CLI, HTTP and the window clear a field alike.
 */

let temp = await tempStore();
const warnings: string[] = [];
afterEach(async () => {
  await temp.dispose();
  temp = await tempStore();
  warnings.length = 0;
});

const ctx = (person?: { name: string; admin: boolean }): OpContext => ({
  store: temp.store,
  paths: {
    dir: temp.dir,
    root: temp.dir,
    config: join(temp.dir, 'config.toml'),
    globalConfig: join(temp.dir, 'global-config.toml'),
    serviceDir: join(temp.dir, 'service'),
    runsDir: join(temp.dir, 'runs'),
  } as ProjectPaths,
  actor: person?.name ?? 'user',
  warn: (message) => warnings.push(message),
  ...(person ? { person } : {}),
});

const edit = (input: Record<string, unknown>, context = ctx()) => dispatch('task:edit', input, context) as Promise<Task & NoChange>;

/** A nightly shell job with every clearable field set. */
async function nightly(): Promise<Task> {
  return (await dispatch(
    'task:add',
    { title: 'Nightly', id: 'nightly', model: 'sonnet', executor: 'shell', exec: 'make report', maxRetries: 3, schedule: '0 3 * * *' },
    ctx(),
  )) as Task;
}

describe('clearing fields of a task (wg edit --clear, --cron "")', () => {
  it('clears the model, executor, shell command and retry budget, and unschedules with cron ""', async () => {
    const before = await nightly();
    expect(before).toMatchObject({ model: 'sonnet', executor: 'shell', exec: 'make report', max_retries: 3, schedule: '0 3 * * *' });
    expect(before.not_before).not.toBeNull();
    const after = await edit({ id: 'nightly', clear: ['model', 'executor', 'exec', 'max-retries'], cron: '' });
    expect(after).toMatchObject({ model: null, executor: null, exec: null, max_retries: null, schedule: null, not_before: null });
    expect(after.rev).toBeGreaterThan(before.rev);
    expect(await temp.store.get('nightly')).toMatchObject({ model: null, executor: null, exec: null, max_retries: null, schedule: null });
    // The rest of the task is as it was.
    expect(after.title).toBe('Nightly');
  });

  it('clears one field and leaves the others', async () => {
    await nightly();
    expect(await edit({ id: 'nightly', clear: ['exec'] })).toMatchObject({
      exec: null,
      executor: 'shell',
      model: 'sonnet',
      max_retries: 3,
    });
  });

  it('refuses a value and a clear of the same field, and changes nothing', async () => {
    await nightly();
    await expect(edit({ id: 'nightly', model: 'opus', clear: ['model'] })).rejects.toThrow(
      'give either --model or --clear model, not both',
    );
    await expect(edit({ id: 'nightly', maxRetries: 1, clear: ['max-retries'] })).rejects.toThrow(
      'give either --max-retries or --clear max-retries, not both',
    );
    expect(await temp.store.get('nightly')).toMatchObject({ model: 'sonnet', max_retries: 3 });
  });

  it('refuses a field it cannot clear, naming the ones it can', async () => {
    await nightly();
    await expect(edit({ id: 'nightly', clear: ['title'] })).rejects.toThrow(/model, executor, exec, max-retries/);
  });

  it('saves nothing when the field is empty already, as an edit that changes nothing', async () => {
    await dispatch('task:add', { title: 'Plain', id: 'plain' }, ctx());
    const before = await temp.store.get('plain');
    const after = await edit({ id: 'plain', clear: ['model', 'exec'] });
    expect(after.rev).toBe(before.rev);
    expect(after.unchanged).toBe(true);
  });

  it("lets a person's token clear a shell command (which takes authority away) but not give one", async () => {
    await nightly();
    const alice = ctx({ name: 'alice', admin: false });
    await expect(edit({ id: 'nightly', exec: 'id' }, alice)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await edit({ id: 'nightly', clear: ['exec'] }, alice)).toMatchObject({ exec: null });
  });
});

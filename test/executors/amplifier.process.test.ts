import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAmplifierLaunch } from '../../src/core/executors/amplifier';
import { openProjectHost, type ProjectHost } from '../../src/core/host';
import { builtinProfile, makeContext } from '../fixtures/objects';
import { waitFor } from '../service/helpers/daemon-project';

describe("the amplifier executor, upstream's third built-in", () => {
  const ctx = (name: string | null) =>
    makeContext({ profile: builtinProfile('amplifier'), model: { name, id: name, source: name ? 'task' : 'default', provider: null } });

  it('runs `amplifier run --mode single --output-format text` with the prompt on stdin, as upstream did', () => {
    expect(buildAmplifierLaunch(ctx(null), {})).toEqual({
      kind: 'process',
      command: 'amplifier',
      args: ['run', '--mode', 'single', '--output-format', 'text'],
      env: {},
      stdin: 'Do the task.',
      cwd: '/work/project',
      output: 'plain',
    });
    expect(builtinProfile('amplifier')).toMatchObject({ type: 'amplifier', timeout: 600 });
  });

  it('passes a provider:model as -p and -m, a bare model as -m, and honours WG_AMPLIFIER_BIN', () => {
    const spec = buildAmplifierLaunch(ctx('provider-openai:minimax/minimax-m2.5'), { WG_AMPLIFIER_BIN: '/opt/amp' });
    expect(spec).toMatchObject({
      command: '/opt/amp',
      args: ['run', '--mode', 'single', '--output-format', 'text', '-p', 'provider-openai', '-m', 'minimax/minimax-m2.5'],
    });
    expect(buildAmplifierLaunch(ctx('sonnet'), {})).toMatchObject({
      args: ['run', '--mode', 'single', '--output-format', 'text', '-m', 'sonnet'],
    });
  });
});

describe('a task run by amplifier through the coordinator', () => {
  const root = mkdtempSync(join(tmpdir(), 'wg-amplifier-'));
  const seen = join(root, 'seen');
  let host: ProjectHost;
  beforeAll(async () => {
    process.env.WG_HOME = join(root, '.home');
    // A stand-in amplifier CLI: records what it was given, answers in text, and reports as an agent does.
    const fake = join(root, 'amplifier');
    writeFileSync(
      fake,
      `#!/bin/sh\nprintf '%s\\n' "$@" > ${seen}.args\ncat > ${seen}.stdin\necho "Working on $WG_TASK_ID"\nwg log "$WG_TASK_ID" "amplifier was here"\n`,
    );
    chmodSync(fake, 0o755);
    process.env.WG_AMPLIFIER_BIN = fake;
    mkdirSync(join(root, '.workgraph'));
    writeFileSync(join(root, '.workgraph', 'config.toml'), '[coordinator]\nexecutor = "amplifier"\n');
    host = await openProjectHost(root, { createIfMissing: true });
  });
  afterAll(async () => {
    await host.close({ stopAgents: true });
    delete process.env.WG_AMPLIFIER_BIN;
    rmSync(root, { recursive: true, force: true });
  });

  it('starts the amplifier CLI with the prompt on stdin and the model flags, and finishes the task', async () => {
    await host.dispatch('task:add', { title: 'Summarise the notes', id: 'notes', model: 'provider-anthropic:claude-sonnet' });
    const done = await waitFor('the amplifier run', async () => {
      const task = await host.dispatch('task:show', { id: 'notes' });
      if (task.status === 'failed') throw new Error(JSON.stringify(task.log));
      return task.status === 'done' ? task : null;
    });
    expect(readFileSync(`${seen}.args`, 'utf8').trim().split('\n')).toEqual([
      'run',
      '--mode',
      'single',
      '--output-format',
      'text',
      '-p',
      'provider-anthropic',
      '-m',
      'claude-sonnet',
    ]);
    expect(readFileSync(`${seen}.stdin`, 'utf8')).toContain('Summarise the notes');
    expect(done.log.map((entry) => entry.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Spawned by coordinator --executor amplifier --model provider-anthropic:claude-sonnet/),
        'amplifier was here',
      ]),
    );
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cgroupBase, removeRunCgroup } from '../../../src/core/runs/killing/run-cgroup';
import { RUN_MARKER } from '../../../src/core/runs/killing/run-marker';
import { SpawnerClient } from '../../../src/core/coordinator/launching/spawner-client';
import { runFiles } from '../../../src/core/runs/files/run-files';
import { spawnerBundlePath } from '../../../src/core/service/bundled-files';

const root = mkdtempSync(join(tmpdir(), 'wg-spawner-client-'));
const TAG = `${process.pid}-${randomBytes(3).toString('hex')}`;
const id = (name: string) => `${name}-${TAG}`;
const PATH = process.env.PATH ?? '';
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  const base = cgroupBase();
  if (base) for (const name of ['e1', 'e2', 'e3']) removeRunCgroup(join(base, `wg-run-${id(name)}`));
});

/**
 * A stand-in spawner that writes down every line it is sent and answers each start at once, so
 * the test sees exactly what the coordinator's side puts on the wire.
 */
function recordingSpawner(): { launcher: { command: string; args: string[]; env: Record<string, string> }; lines: () => Array<Record<string, unknown>> } {
  const log = join(root, `lines-${randomBytes(3).toString('hex')}`);
  const script = join(root, 'recording-spawner.cjs');
  writeFileSync(script, `
    const fs = require('node:fs');
    require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
      fs.appendFileSync(process.argv[2], line + '\\n');
      const message = JSON.parse(line);
      if (message.type !== 'start') return;
      process.stdout.write(JSON.stringify({ type: 'started', ref: message.ref, pid: 4242, cgroup: null }) + '\\n');
      process.stdout.write(JSON.stringify({ type: 'ended', ref: message.ref, status: 0, signal: null }) + '\\n');
    });
    process.stdin.on('end', () => process.exit(0));
  `);
  return {
    launcher: { command: process.execPath, args: [script, log], env: {} },
    lines: () => readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("the coordinator's side of the spawner", () => {
  it('sends the base environment once, and with each start only what that run adds', async () => {
    const { launcher, lines } = recordingSpawner();
    const client = new SpawnerClient(launcher, () => undefined);
    const base = { PATH, HOME: '/home/someone', LONG: 'x'.repeat(2000) };
    try {
      for (const name of ['one', 'two', 'three']) {
        const started = await client.start({
          dir: join(root, name), runId: name, command: '/bin/true', args: [], base, env: { [RUN_MARKER]: name, WG_TASK_ID: name }, cwd: root, stdin: null,
        });
        await started.ended;
      }
      // Another base (another coordinator's environment) is sent before the start that uses it.
      await (await client.start({ dir: join(root, 'four'), runId: 'four', command: '/bin/true', args: [], base: { PATH }, env: { [RUN_MARKER]: 'four' }, cwd: root, stdin: null })).ended;
    } finally {
      client.close();
    }
    const sent = lines();
    expect(sent.map((line) => line.type)).toEqual(['base', 'start', 'start', 'start', 'base', 'start']);
    expect(sent[0]).toEqual({ type: 'base', env: base });
    expect(sent[1]?.env).toEqual({ [RUN_MARKER]: 'one', WG_TASK_ID: 'one' });
    expect(sent[4]).toEqual({ type: 'base', env: { PATH } });
  });

  it('gives each run the base environment with its own variables over it, through the real spawner', async () => {
    const client = new SpawnerClient({ command: process.execPath, args: [spawnerBundlePath()], env: {} }, () => undefined);
    const base = { PATH, SHARED: 'from the coordinator', OVERRIDDEN: 'base' };
    try {
      for (const name of ['e1', 'e2']) {
        const files = runFiles(join(root, name));
        const started = await client.start({
          dir: files.dir, runId: id(name), command: '/usr/bin/env', args: ['-0'], base, env: { [RUN_MARKER]: id(name), OWN: name, OVERRIDDEN: 'run' }, cwd: root, stdin: null,
        });
        expect(await started.ended).toMatchObject({ status: 0 });
        const seen = Object.fromEntries(readFileSync(files.stdout, 'utf8').split('\0').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
        expect(seen).toMatchObject({ PATH, SHARED: 'from the coordinator', OVERRIDDEN: 'run', OWN: name, [RUN_MARKER]: id(name) });
      }
    } finally {
      client.close();
    }
  });
});

import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../src/shared/service-types';
import { DaemonProject, waitFor } from './helpers/daemon-project';

const p = new DaemonProject('wg-service-settings-');
beforeAll(async () => {
  await p.init();
});
afterAll(async () => {
  await p.wg(['service', 'stop']);
  await p.remove();
});

const setting = (status: ServiceStatus, key: string) => status.settings?.find((e) => e.key === key);

describe('wg service and the settings it runs with', () => {
  it('restart of a stopped service says it started it', async () => {
    const restarted = await p.wg(['service', 'restart', '--max-agents', '2']);
    expect(restarted.exitCode).toBe(0);
    expect(restarted.stdout).toMatch(/^coordinator was not running; started it \(pid \d+\)$/m);
  });

  it('reload re-reads config.toml and only its own flags override it', async () => {
    // Started with --max-agents 2: a flag over config.toml.
    expect(setting(await p.json<ServiceStatus>(['service', 'status']), 'coordinator.max_agents')).toMatchObject({
      value: 2,
      source: 'override',
    });
    await p.ok(['config', '--max-agents', '3']);
    const reloaded = await p.json<ServiceStatus>(['service', 'reload']);
    expect(reloaded.max_agents).toBe(3);
    expect(setting(reloaded, 'coordinator.max_agents')).toEqual({ key: 'coordinator.max_agents', value: 3, source: 'local' });
    const flagged = await p.json<ServiceStatus>(['service', 'reload', '--max-agents', '5', '--model', 'haiku']);
    expect(setting(flagged, 'coordinator.max_agents')).toMatchObject({ value: 5, source: 'override' });
    expect(setting(flagged, 'coordinator.model')).toMatchObject({ value: 'haiku', source: 'override' });
    expect(setting(flagged, 'agent.heartbeat_timeout')).toEqual({
      key: 'agent.heartbeat_timeout',
      value: 5,
      source: 'default',
      unit: 'minutes',
    });
    const text = await p.ok(['service', 'status']);
    expect(text).toMatch(/^settings:$/m);
    expect(text).toMatch(/^ {2}coordinator\.max_agents\s+5\s+\(override\)$/m);
    expect(text).toMatch(/^ {2}agent\.heartbeat_timeout\s+5 minutes\s+\(default\)$/m);
    // A reload without flags drops them again.
    expect(setting(await p.json<ServiceStatus>(['service', 'reload']), 'coordinator.model')).toMatchObject({
      value: null,
      source: 'default',
    });
  });

  it('a --model one or two letters off a registered name is said by reload, restart and start, and kept', async () => {
    const hint = (model: string, meant: string) =>
      `wg: model '${model}' is not in the registry (wg model list): did you mean '${meant}'? It is kept, and goes to the executor as the model id '${model}'`;
    const reloaded = await p.wg(['service', 'reload', '--model', 'sonet']);
    expect(reloaded.exitCode).toBe(0);
    expect(reloaded.stderr.trim()).toBe(hint('sonet', 'sonnet'));
    const restarted = await p.wg(['service', 'restart', '--model', 'hiaku']);
    expect(restarted.exitCode).toBe(0);
    expect(restarted.stderr.trim()).toBe(hint('hiaku', 'haiku'));
    await p.ok(['service', 'stop']);
    const started = await p.wg(['service', 'start', '--model', 'opuss']);
    expect(started.exitCode).toBe(0);
    expect(started.stderr.trim()).toBe(hint('opuss', 'opus'));
    expect(setting(await p.json<ServiceStatus>(['service', 'status']), 'coordinator.model')).toMatchObject({
      value: 'opuss',
      source: 'override',
    });
    expect((await p.wg(['service', 'reload', '--model', 'sonnet'])).stderr.trim()).toBe('');
  });

  it('keeps recent errors across a restart', async () => {
    writeFileSync(p.paths.config, '[coordinator]\nmax_agents = "many"\n');
    // The coordinator notices the change when it next looks (a change to the graph makes it look).
    await p.ok(['add', 'Poke', '--id', 'poke', '--exec', 'true']);
    const noticed = await waitFor('the error in status', async () => {
      const status = await p.json<ServiceStatus>(['service', 'status']);
      return status.recent_errors.length > 0 ? status.recent_errors : null;
    });
    expect(noticed.at(-1)?.message).toMatch(
      /^config not reloaded: .*config\.toml: coordinator\.max_agents must be a whole number \(got 'many'\)$/,
    );
    writeFileSync(p.paths.config, '[coordinator]\nmax_agents = 3\n');
    await p.ok(['service', 'restart']);
    const after = await p.json<ServiceStatus>(['service', 'status']);
    expect(after.recent_errors.at(-1)).toEqual(noticed.at(-1));
    await p.ok(['service', 'stop']);
    expect((await p.json<ServiceStatus>(['service', 'status'])).recent_errors.at(-1)).toEqual(noticed.at(-1));
  });

  it('an unknown executor in config.toml is refused by reload and by start, naming its line, nothing changed', async () => {
    writeFileSync(p.paths.config, '[coordinator]\nmax_agents = 3\n');
    await p.ok(['service', 'start']);
    writeFileSync(p.paths.config, '[coordinator]\nmax_agents = 4\nexecutor = "cluade"\n');
    const said = new RegExp(
      `^wg: ${p.paths.config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 3: executor = "cluade" names no executor; there are: claude, codex, `,
    );
    const reload = await p.wg(['service', 'reload']);
    expect(reload.exitCode).not.toBe(0);
    expect(reload.stderr.trim()).toMatch(said);
    // Nothing changed: the coordinator runs with what it had.
    expect((await p.json<ServiceStatus>(['service', 'status'])).max_agents).toBe(3);
    await p.ok(['service', 'stop']);
    const start = await p.wg(['service', 'start']);
    expect(start.exitCode).not.toBe(0);
    expect(start.stderr.trim()).toMatch(said);
    expect((await p.json<ServiceStatus>(['service', 'status'])).running).toBe(false);
    writeFileSync(p.paths.config, '[coordinator]\nmax_agents = 3\n');
  });
});

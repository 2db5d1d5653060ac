import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../src/shared/service-types';
import type { Task } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';

/*
 * Upstream's `wg service start` cases of tests/integration_service.rs that need no run killed, each named in its
 * `it`: the coordinator is a process, which is the point here. The rest of that file, and what is not ported, is
 * named in upstream-lifecycle-cases.test.ts. Upstream's `--socket` and `--no-coordinator-agent` (its chat agent)
 * have no counterpart (docs/upstream.md "Not here"): the coordinator serves HTTP and starts no chat agent.
 */

let p: TempProject;
beforeEach(async () => {
  p = new TempProject('wg-upstream-service-');
  await p.ok(['init']);
});
afterEach(async () => {
  await p.wg(['service', 'stop']);
  p.remove();
});

describe('wg service start (upstream integration_service.rs)', () => {
  it('test_service_start_fails_on_invalid_config_instead_of_using_defaults: a config.toml that does not parse is refused in one line', async () => {
    writeFileSync(
      join(p.root, '.workgraph', 'config.toml'),
      '[coordinator]\nmodel = "openrouter:minimax/minimax-m2.7"\n[chat]\ncompact_threshold = 2\ncompact_threshold = 50\n',
    );
    const result = await p.wg(['service', 'start']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/config\.toml/);
    expect(result.stdout).not.toMatch(/started/);
    expect((await p.json<ServiceStatus>(['service', 'status'])).running).toBe(false);
  });

  it('test_service_start_succeeds_with_implicit_coordinator_config / test_service_start_on_bare_graph_does_not_create_daemon_tasks', async () => {
    // No [coordinator] in config.toml: its defaults are taken.
    const started = await p.wg(['service', 'start', '--executor', 'shell']);
    expect(started.exitCode, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/coordinator started/);
    const status = await p.json<ServiceStatus>(['service', 'status']);
    expect(status.running).toBe(true);
    // A start on a bare graph adds no task of its own (upstream's daemon-managed chat/compact tasks).
    expect(await p.json<Task[]>(['list', '--all'])).toEqual([]);
    expect(await p.ok(['service', 'status'])).toMatch(/running/);
  });

  // Upstream's run_stop_inner with --json (service/mod.rs): JSON, not plain text.
  it('wg --json service stop answers in JSON, running or not', async () => {
    expect((await p.wg(['service', 'start', '--executor', 'shell'])).exitCode).toBe(0);
    const { pid } = await p.json<ServiceStatus>(['service', 'status']);
    expect(JSON.parse(await p.ok(['--json', 'service', 'stop']))).toEqual({ status: 'stopped', pid, force: false, kill_agents: false });
    expect(JSON.parse(await p.ok(['--json', 'service', 'stop']))).toEqual({ error: 'Service not running' });
  });
});

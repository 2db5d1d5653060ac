import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../src/shared/service-types';
import { DaemonProject, isZombieOrGone, WG_BIN, waitFor } from './helpers/daemon-project';

const p = new DaemonProject('wg-life-');
beforeAll(async () => {
  await p.init();
});
afterAll(() => p.remove());

describe('wg service', () => {
  it('status when nothing runs says so, exits 0, and --json has running:false', async () => {
    const text = await p.wg(['service', 'status']);
    expect(text).toMatchObject({ exitCode: 0 });
    expect(text.stdout).toMatch(/^coordinator is not running/);
    const status = await p.json<ServiceStatus>(['service', 'status']);
    expect(status).toMatchObject({ running: false, pid: null, url: null });
    expect(await p.wg(['service', 'stop'])).toMatchObject({ exitCode: 0, stdout: 'coordinator is not running' });
  });

  it('starts in the background, reports pid and url, and refuses a second start', async () => {
    const started = await p.start(['--max-agents', '3']);
    expect(started).toMatchObject({ running: true, max_agents: 3, paused: false });
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
    expect(statSync(p.paths.tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(p.paths.tokenFile, 'utf8').trim()).toBe(started.url?.split('#token=')[1]);

    const again = await p.wg(['service', 'start']);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toBe(`wg: a coordinator is already running for this project (pid ${started.pid})\n`.trimEnd());

    const status = await p.json<ServiceStatus>(['service', 'status']);
    expect(status).toMatchObject({ running: true, pid: started.pid, url: started.url });
    expect(await p.ok(['service', 'status'])).toMatch(new RegExp(`^coordinator running \\(pid ${started.pid}\\), up \\d+s`));
  });

  it('reload applies overrides; pause and resume switch spawning', async () => {
    const reloaded = await p.json<ServiceStatus>(['service', 'reload', '--max-agents', '8', '--model', 'haiku']);
    expect(reloaded.max_agents).toBe(8);
    const bad = await p.wg(['service', 'reload', '--max-agents', 'lots']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/^wg: max-agents must be a whole number/);
    const unknown = await p.wg(['service', 'reload', '--executor', 'nope']);
    expect(unknown.stderr).toMatch(/^wg: no executor 'nope'; there are: claude, codex, amplifier, shell/);
    expect((await p.json<ServiceStatus>(['service', 'status'])).max_agents).toBe(8);

    expect((await p.json<ServiceStatus>(['service', 'pause'])).paused).toBe(true);
    await p.ok(['add', 'Held', '--id', 'held', '--exec', 'true']);
    expect((await p.task('held')).status).toBe('open');
    expect((await p.json<ServiceStatus>(['service', 'resume'])).paused).toBe(false);
    // For a person, upstream's one line each, not the whole status with every setting.
    expect(await p.ok(['service', 'pause'])).toBe('Coordinator paused (running agents continue, no new spawns)');
    expect(await p.ok(['service', 'resume'])).toBe('Coordinator resumed');
    expect(await p.ok(['service', 'reload', '--max-agents', '8', '--model', 'haiku'])).toBe(
      'Configuration updated (max agents 8; wg service status shows the rest)',
    );
    await waitFor('held to run once resumed', async () => (await p.task('held')).status === 'done');
  });

  it('stops, removing its socket and state; restarts with the same overrides', async () => {
    const before = await p.json<ServiceStatus>(['service', 'status']);
    const restarted = await p.json<ServiceStatus>(['service', 'restart']);
    expect(restarted.pid).not.toBe(before.pid);
    expect(restarted.max_agents).toBe(8); // as it ran: with the flags of its last reload
    expect(await p.ok(['service', 'stop'])).toBe(`coordinator stopped (pid ${restarted.pid})`);
    expect(existsSync(p.paths.socket)).toBe(false);
    expect(existsSync(p.paths.stateFile)).toBe(false);
    expect(existsSync(p.paths.pidFile)).toBe(false);
    expect(readFileSync(p.paths.daemonLog, 'utf8')).toMatch(/coordinator stopped \(agents keep running\)/);
  });

  it('after kill -9, the stale pid file, socket and state are cleaned by the next start', async () => {
    const first = await p.start();
    process.kill(first.pid as number, 'SIGKILL');
    await waitFor('the daemon to die', () => isZombieOrGone(first.pid as number));
    expect(existsSync(p.paths.socket) && existsSync(p.paths.pidFile) && existsSync(p.paths.stateFile)).toBe(true);
    expect((await p.json<ServiceStatus>(['service', 'status'])).running).toBe(false);
    const second = await p.start();
    expect(second.pid).not.toBe(first.pid);
    expect(readFileSync(p.paths.pidFile, 'utf8').trim()).toBe(String(second.pid));
    await p.ok(['service', 'stop']);
  });

  it('two daemons started at the same instant: exactly one runs', async () => {
    const launch = () =>
      execa(process.execPath, [WG_BIN, 'service', 'start', '--foreground'], { cwd: p.root, env: p.env, reject: false, timeout: 30_000 });
    const daemons = [launch(), launch()];
    const first = await Promise.race(daemons.map((d, index) => d.then((result) => ({ index, result }))));
    expect(first.result.exitCode).not.toBe(0);
    expect(String(first.result.stderr)).toMatch(/^wg: a coordinator is already running for this project/);
    const winner = daemons[1 - first.index];
    const status = await waitFor('the winner to answer', async () => {
      const s = await p.json<ServiceStatus>(['service', 'status']);
      return s.running ? s : null;
    });
    expect(status.pid).toBe(winner?.pid);
    await p.ok(['service', 'stop']);
    expect((await winner)?.exitCode).toBe(0);
  });

  it('install writes a systemd user unit (into WG_SYSTEMD_USER_DIR, never the real home)', async () => {
    const dir = join(p.root, 'units');
    const result = await p.wg(['service', 'install'], { env: { WG_SYSTEMD_USER_DIR: dir } });
    expect(result.exitCode).toBe(0);
    const file = result.stdout.split('\n')[0]?.replace(/^wrote /, '') ?? '';
    expect(file.startsWith(dir)).toBe(true);
    const unit = readFileSync(file, 'utf8');
    expect(unit).toContain('KillMode=control-group');
    expect(unit).toMatch(/ExecStart=".*node.*" ".*out\/cli\/wg\.cjs" "--dir" ".*\.workgraph" "service" "start" "--foreground"/);
    expect(result.stdout).toMatch(/systemctl --user enable --now workgraph-[0-9a-f]{12}\.service/);
  });
});

import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostileProjectFolder } from './support/hostile-folder';
import { serviceCommand, serviceName, systemdUnit } from '../../src/core/service/service-install';

/** systemd-analyze's verdict on the unit wg service install writes; the launchd job and the install folders are in install.test.ts. */
const { root, folder, paths } = hostileProjectFolder();
// The real node and the built CLI: systemd-analyze checks that ExecStart's program exists.
const command = serviceCommand(paths);

describe('wg service install', () => {
  it('writes a systemd user unit that systemd-analyze verify accepts', async () => {
    const file = join(root, `${serviceName(paths)}.service`);
    const unit = systemdUnit(paths, command);
    await import('node:fs').then((fs) => fs.writeFileSync(file, unit));
    const runtime = mkdtempSync(join(tmpdir(), 'wg-xdg-'));
    const verify = await execa('systemd-analyze', ['verify', '--user', file], { env: { XDG_RUNTIME_DIR: runtime }, reject: false });
    rmSync(runtime, { recursive: true, force: true });
    expect(`${verify.stdout}${verify.stderr}`.trim()).toBe('');
    expect(verify.exitCode).toBe(0);
    // A path is taken whole (never quoted); the command's words are quoted, $ and % escaped.
    expect(unit).toContain(`WorkingDirectory=${folder.replace('%', '%%')}\n`);
    expect(unit).toContain(`ExecStart="${process.execPath}" `);
    expect(unit).toContain(`"--dir" "${paths.dir.replace('%', '%%').replace('$', '$$$$').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    expect(unit).toMatch(/^Environment="PATH=[^$\n]*"$/m);
    // It stops everything the service started when it stops.
    expect(unit).toContain('KillMode=control-group');
    expect(unit).toContain('Delegate=yes');
    expect(unit).not.toContain('KillMode=process');
    expect(unit).toContain('WantedBy=default.target');
  });

  it('refuses nothing systemd would: a quoted WorkingDirectory is what systemd rejected', async () => {
    const file = join(root, 'quoted.service');
    const bad = systemdUnit(paths, command).replace(/^WorkingDirectory=(.*)$/m, 'WorkingDirectory="$1"');
    await import('node:fs').then((fs) => fs.writeFileSync(file, bad));
    const runtime = mkdtempSync(join(tmpdir(), 'wg-xdg-'));
    const verify = await execa('systemd-analyze', ['verify', '--user', file], { env: { XDG_RUNTIME_DIR: runtime }, reject: false });
    rmSync(runtime, { recursive: true, force: true });
    // The check itself can fail: systemd's own verdict on the old writer's output.
    expect(verify.exitCode).not.toBe(0);
    expect(verify.stderr).toMatch(/WorkingDirectory= path is not absolute/);
  });
});

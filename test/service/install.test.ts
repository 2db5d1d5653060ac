import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../src/core/project';
import { installUserService, launchdPlist, serviceName, systemdUnit, type ServiceCommand } from '../../src/core/service/install';

const root = mkdtempSync(join(tmpdir(), 'wg-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const paths = projectPaths(join(root, 'my 100% $project', '.workgraph'));
const command: ServiceCommand = {
  program: '/usr/bin/node', args: ['/app/out/cli/wg.mjs', '--dir', paths.dir, 'service', 'start', '--foreground'],
  cwd: paths.root, path: '/usr/bin:/bin', logFile: '/x/daemon.out',
};

describe('wg service install', () => {
  it('writes a systemd unit that quotes odd paths and leaves agents running on stop', () => {
    const unit = systemdUnit(paths, command);
    expect(unit).toContain(`ExecStart="/usr/bin/node" "/app/out/cli/wg.mjs" "--dir" "${paths.dir.replace('%', '%%').replace('$', () => '$$')}" "service" "start" "--foreground"`);
    expect(unit).toContain('KillMode=process');
    expect(unit).toContain('WantedBy=default.target');
  });

  it('writes a launchd plist with escaped strings', () => {
    const plist = launchdPlist('com.workgraph.x', { ...command, cwd: '/a&b<c>' });
    expect(plist).toContain('<string>/a&amp;b&lt;c&gt;</string>');
    expect(plist).toContain('<key>AbandonProcessGroup</key>');
  });

  it('installs into the folder the environment names, per platform', () => {
    process.env.WG_SYSTEMD_USER_DIR = join(root, 'systemd');
    process.env.WG_LAUNCHD_DIR = join(root, 'launchd');
    const linux = installUserService(paths, 'linux');
    expect(linux.file).toBe(join(root, 'systemd', `${serviceName(paths)}.service`));
    expect(readFileSync(linux.file, 'utf8')).toContain('[Service]');
    const mac = installUserService(paths, 'darwin');
    expect(mac.file).toBe(join(root, 'launchd', `com.workgraph.${serviceName(paths)}.plist`));
    expect(mac.next).toBe(`launchctl load -w ${mac.file}`);
  });
});

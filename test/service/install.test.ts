import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parsePlist } from 'plist';
import { describe, expect, it } from 'vitest';
import { hostileProjectFolder } from './support/hostile-folder';
import { installUserService, launchdPlist, serviceCommand, serviceName } from '../../src/core/service/service-install';

/** The launchd job and where each platform's file goes; systemd's own check of the unit is in install.process.test.ts. */
const { root, folder, paths } = hostileProjectFolder();
const command = serviceCommand(paths);

describe('wg service install', () => {
  it('writes a launchd plist a plist parser reads back as the job', () => {
    const text = launchdPlist('com.workgraph.x', command);
    expect(parsePlist(text)).toEqual({
      Label: 'com.workgraph.x',
      ProgramArguments: [command.program, ...command.args],
      WorkingDirectory: folder,
      EnvironmentVariables: { PATH: command.path },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      AbandonProcessGroup: true,
      StandardOutPath: command.logFile,
      StandardErrorPath: command.logFile,
    });
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

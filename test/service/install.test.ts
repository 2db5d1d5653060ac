import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parsePlist } from 'plist';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../src/core/project';
import { installUserService, launchdPlist, serviceCommand, serviceName } from '../../src/core/service/service-install';

/** The launchd job and where each platform's file goes; systemd's own check of the unit is in install.process.test.ts. */
const root = mkdtempSync(join(tmpdir(), 'wg-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// Every character systemd or XML would take for syntax: a space, %, $, quotes, a backslash, & and <.
const folder = join(root, 'my 100% $HOME "quoted" back\\slash & <tag>');
mkdirSync(folder, { recursive: true });
const paths = projectPaths(join(folder, '.workgraph'));
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

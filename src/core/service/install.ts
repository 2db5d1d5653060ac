import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProjectPaths } from '../project';
import { cliBundlePath } from './app-files';

export interface ServiceCommand {
  program: string;
  args: string[];
  cwd: string;
  path: string;
  logFile: string;
}

export function serviceCommand(paths: ProjectPaths): ServiceCommand {
  return {
    program: process.execPath,
    args: [cliBundlePath(), '--dir', paths.dir, 'service', 'start', '--foreground'],
    cwd: paths.root,
    path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    logFile: join(paths.serviceDir, 'daemon.out'),
  };
}

/** One unit name per project folder, so several projects can each have their coordinator. */
export function serviceName(paths: ProjectPaths): string {
  return `workgraph-${createHash('sha256').update(paths.root).digest('hex').slice(0, 12)}`;
}

/** systemd quoting: double quotes, backslash escapes; `%` and `$` are specifiers and variables. */
const systemdWord = (word: string) => `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;

/**
 * KillMode=process: stopping or restarting the unit stops only the coordinator; agents (in the
 * same cgroup, but their own process groups) keep running and the next coordinator adopts them.
 */
export function systemdUnit(paths: ProjectPaths, command: ServiceCommand): string {
  return [
    '[Unit]',
    `Description=Workgraph coordinator for ${paths.root.replace(/%/g, '%%')}`,
    '',
    '[Service]',
    'Type=simple',
    `WorkingDirectory=${systemdWord(command.cwd)}`,
    `Environment=${systemdWord(`PATH=${command.path}`)}`,
    `ExecStart=${[command.program, ...command.args].map(systemdWord).join(' ')}`,
    'ExecReload=/bin/kill -HUP $MAINPID',
    'KillMode=process',
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function launchdPlist(label: string, command: ServiceCommand): string {
  const strings = (items: string[]) => items.map((item) => `      <string>${xml(item)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
  <dict>
    <key>Label</key>
    <string>${xml(label)}</string>
    <key>ProgramArguments</key>
    <array>
${strings([command.program, ...command.args])}
    </array>
    <key>WorkingDirectory</key>
    <string>${xml(command.cwd)}</string>
    <key>EnvironmentVariables</key>
    <dict>
      <key>PATH</key>
      <string>${xml(command.path)}</string>
    </dict>
    <key>RunAtLoad</key>
    <true/>
    <key>KeepAlive</key>
    <dict>
      <key>SuccessfulExit</key>
      <false/>
    </dict>
    <key>AbandonProcessGroup</key>
    <true/>
    <key>StandardOutPath</key>
    <string>${xml(command.logFile)}</string>
    <key>StandardErrorPath</key>
    <string>${xml(command.logFile)}</string>
  </dict>
</plist>
`;
}

export interface Installed {
  file: string;
  /** What to run to enable it. */
  next: string;
}

/**
 * Writes a per-user service definition that starts this project's coordinator at login. The folder
 * can be redirected (WG_SYSTEMD_USER_DIR / WG_LAUNCHD_DIR) so tests never touch the real home.
 */
export function installUserService(paths: ProjectPaths, platform: NodeJS.Platform = process.platform): Installed {
  const command = serviceCommand(paths);
  const name = serviceName(paths);
  if (platform === 'darwin') {
    const dir = process.env.WG_LAUNCHD_DIR?.trim() || join(homedir(), 'Library', 'LaunchAgents');
    const label = `com.workgraph.${name}`;
    const file = join(dir, `${label}.plist`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, launchdPlist(label, command));
    return { file, next: `launchctl load -w ${file}` };
  }
  const dir = process.env.WG_SYSTEMD_USER_DIR?.trim() || join(process.env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config'), 'systemd', 'user');
  const file = join(dir, `${name}.service`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, systemdUnit(paths, command));
  return { file, next: `systemctl --user daemon-reload && systemctl --user enable --now ${name}.service` };
}

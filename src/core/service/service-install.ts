import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { build as buildPlist } from 'plist';
import type { ProjectPaths } from '../project';
import { cliBundlePath } from '../runs/starting/bundled-files';

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

/*
 * systemd's quoting differs by setting (systemd.unit(5), systemd.service(5), systemd.exec(5)): every
 * value expands `%` specifiers (written `%%`); a path (WorkingDirectory=) is taken whole and must not
 * be quoted; Environment= takes a quoted "NAME=value" with C escapes and no `$` expansion;
 * ExecStart= splits quoted words and expands `$NAME` (written `$$`).
 */
const specifiers = (text: string) => text.replace(/%/g, '%%');
const quoted = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
export const systemdPath = (path: string) => specifiers(path);
const systemdEnvironment = (name: string, value: string) => quoted(specifiers(`${name}=${value}`));
export const systemdCommand = (words: readonly string[]) => words.map((word) => quoted(specifiers(word).replace(/\$/g, '$$$$'))).join(' ');

/** A unit file as sections of settings, in order; more settings are added by appending to a section. */
type UnitFile = Array<[section: string, settings: Array<[key: string, value: string]>]>;

function renderUnit(unit: UnitFile): string {
  return `${unit.map(([section, settings]) => [`[${section}]`, ...settings.map(([key, value]) => `${key}=${value}`)].join('\n')).join('\n\n')}\n`;
}

/**
 * The unit kills what the service started: KillMode=control-group stops every process in the
 * unit's cgroup when the unit stops (or restarts), the agents' included, whatever session or
 * process group they moved to. Delegate=yes hands the unit's cgroup subtree to the coordinator, so
 * each run gets a cgroup of its own below it and `wg kill` ends a run as a whole (run-cgroup.ts).
 */
function systemdUnitFile(paths: ProjectPaths, command: ServiceCommand): UnitFile {
  return [
    ['Unit', [['Description', specifiers(`Workgraph coordinator for ${paths.root}`)]]],
    [
      'Service',
      [
        ['Type', 'simple'],
        ['WorkingDirectory', systemdPath(command.cwd)],
        ['Environment', systemdEnvironment('PATH', command.path)],
        ['ExecStart', systemdCommand([command.program, ...command.args])],
        ['ExecReload', '/bin/kill -HUP $MAINPID'],
        ['KillMode', 'control-group'],
        ['Delegate', 'yes'],
        ['Restart', 'on-failure'],
        ['RestartSec', '5'],
      ],
    ],
    ['Install', [['WantedBy', 'default.target']]],
  ];
}

export function systemdUnit(paths: ProjectPaths, command: ServiceCommand): string {
  return renderUnit(systemdUnitFile(paths, command));
}

/** The launchd job, written by the plist library (escaping and structure are its business). */
export function launchdPlist(label: string, command: ServiceCommand): string {
  return `${buildPlist({
    Label: label,
    ProgramArguments: [command.program, ...command.args],
    WorkingDirectory: command.cwd,
    EnvironmentVariables: { PATH: command.path },
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    // Agents are their own process groups: launchd must not kill them with the coordinator.
    AbandonProcessGroup: true,
    StandardOutPath: command.logFile,
    StandardErrorPath: command.logFile,
  })}\n`;
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
  const dir =
    process.env.WG_SYSTEMD_USER_DIR?.trim() || join(process.env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config'), 'systemd', 'user');
  const file = join(dir, `${name}.service`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, systemdUnit(paths, command));
  return { file, next: `systemctl --user daemon-reload && systemctl --user enable --now ${name}.service` };
}

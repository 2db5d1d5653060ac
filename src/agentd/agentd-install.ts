import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { build as buildPlist } from 'plist';
import { replaceFile } from '../core/files/no-follow';
import { cliBundlePath } from '../core/runs/starting/bundled-files';
import { systemdCommand, systemdPath } from '../core/service/service-install';

/** The settings written beside the unit (0600: it holds the agent token), read by the service at start. */
export type AgentdEnv = Record<string, string>;

export interface InstalledUnit {
  file: string;
  /** The environment file, where the platform keeps it apart from the definition. */
  envFile: string | null;
  next: string;
}

const NAME = 'workgraph-agentd';
/** The variables `wg agentd` reads, in the order they are written. */
export const AGENTD_ENV_KEYS = [
  'WG_COORDINATOR_URL',
  'WG_AGENT_TOKEN',
  'WG_AGENT_TOKEN_FILE',
  'WG_COORDINATOR_CA',
  'WG_COORDINATOR_INSECURE',
  'REPO_PATHS',
  'ROLES',
  'CLI_COMMAND',
  'CLI_ARGS_TEMPLATE',
  'CLI_OUTPUT',
  'MAX_JOBS',
  'TICKET_TIMEOUT_SECONDS',
  'LOG_LEVEL',
  'WG_AGENT_HOST',
  'RUN_AS',
  'PATH',
] as const;

/** systemd EnvironmentFile: one KEY="value" a line, backslash and double quote escaped. */
const envLine = (key: string, value: string) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;

function command(): string[] {
  return [process.execPath, cliBundlePath(), 'agentd'];
}

/**
 * KillMode=control-group: stopping the daemon stops the CLIs it runs too (their jobs are dispatched
 * again once their leases run out); the token lives in an EnvironmentFile only this user can read.
 */
function systemdUnit(envFile: string): string {
  return [
    '[Unit]',
    'Description=Workgraph agent daemon (wg agentd)',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    // A path is taken whole: systemd refuses a quoted one ("path is not absolute") and starts without it.
    `EnvironmentFile=${systemdPath(envFile)}`,
    `ExecStart=${systemdCommand(command())}`,
    'KillMode=control-group',
    'Restart=always',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function launchdPlist(env: AgentdEnv, logFile: string): string {
  return buildPlist({
    Label: `com.workgraph.agentd`,
    ProgramArguments: command(),
    EnvironmentVariables: env,
    RunAtLoad: true,
    KeepAlive: true,
    StandardOutPath: logFile,
    StandardErrorPath: logFile,
  });
}

/**
 * A WinSW service definition (the XML its `workgraph-agentd.exe install` reads): Windows has no
 * user-level service file of its own, and WinSW keeps the command, environment and restart policy in one place.
 */
function windowsServiceXml(env: AgentdEnv, logDir: string): string {
  const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const [program, ...args] = command();
  return [
    '<service>',
    `  <id>${NAME}</id>`,
    '  <name>Workgraph agent daemon</name>',
    '  <description>wg agentd: runs Workgraph tasks with the local agent CLI</description>',
    `  <executable>${xml(program ?? 'node')}</executable>`,
    `  <arguments>${args.map((a) => `"${xml(a)}"`).join(' ')}</arguments>`,
    ...Object.entries(env).map(([key, value]) => `  <env name="${xml(key)}" value="${xml(value)}"/>`),
    '  <onfailure action="restart" delay="5 sec"/>',
    `  <logpath>${xml(logDir)}</logpath>`,
    '  <log mode="roll"/>',
    '</service>',
    '',
  ].join('\n');
}

/** Writes the service definition for this platform (folders redirectable for tests: WG_SYSTEMD_USER_DIR, WG_LAUNCHD_DIR, WG_WINSW_DIR). */
export function installAgentd(env: AgentdEnv, platform: NodeJS.Platform = process.platform): InstalledUnit {
  // A new file made 0600 and renamed into place: never a moment where the token sits in a file others may read.
  const secret = (file: string, text: string) => replaceFile(file, text, { mode: 0o600 });
  if (platform === 'darwin') {
    const dir = process.env.WG_LAUNCHD_DIR?.trim() || join(homedir(), 'Library', 'LaunchAgents');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'com.workgraph.agentd.plist');
    secret(file, launchdPlist(env, join(homedir(), 'Library', 'Logs', 'workgraph-agentd.log')));
    return { file, envFile: null, next: `launchctl load -w ${file}` };
  }
  if (platform === 'win32') {
    const dir = process.env.WG_WINSW_DIR?.trim() || join(homedir(), '.workgraph', 'agentd');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${NAME}.xml`);
    secret(file, windowsServiceXml(env, dir));
    return { file, envFile: null, next: `put WinSW beside it as ${NAME}.exe, then run: ${join(dir, `${NAME}.exe`)} install` };
  }
  const dir =
    process.env.WG_SYSTEMD_USER_DIR?.trim() || join(process.env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config'), 'systemd', 'user');
  mkdirSync(dir, { recursive: true });
  const envFile = join(dir, `${NAME}.env`);
  secret(
    envFile,
    `${Object.entries(env)
      .map(([k, v]) => envLine(k, v))
      .join('\n')}\n`,
  );
  const file = join(dir, `${NAME}.service`);
  writeFileSync(file, systemdUnit(envFile));
  return { file, envFile, next: `systemctl --user daemon-reload && systemctl --user enable --now ${NAME}.service` };
}

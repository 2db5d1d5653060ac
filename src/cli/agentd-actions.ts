import { AgentDaemon } from '../agentd/agentd';
import { createAgentdLog } from '../agentd/agentd-log';
import { loadAgentdConfig, type AgentdFlags } from '../agentd/config';
import { AGENTD_ENV_KEYS, installAgentd, type AgentdEnv } from '../agentd/agentd-install';
import { hideToken } from '../agentd/hide-token';
import { appVersion } from '../core/app-version';
import type { CliIo } from './cli-io';

/** What `wg agentd` and `wg agentd install` do; loaded only when one of them runs. */

/** Connects to the coordinator and runs its jobs until stopped. */
export async function run(flags: AgentdFlags): Promise<void> {
  const config = loadAgentdConfig(flags, process.env);
  const log = createAgentdLog(config.logLevel, undefined, [config.token]);
  // Before anything is started: no job, no probe of the CLI inherits or can read the token.
  const exposed = hideToken(config.token);
  if (exposed)
    log.warn(
      `the agent token stays readable to processes of this user (${exposed}); run jobs as another user (RUN_AS) to keep it from them`,
    );
  const daemon = new AgentDaemon(config, appVersion(), log, () => process.exit(2));
  const stop = () => {
    log.info('stopping: the jobs it runs are killed and will be dispatched again');
    // stop() waits (bounded) for the jobs to end and for the coordinator to hear of it; the lifelines end whatever is left.
    void daemon.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await daemon.start();
}

/** Writes the service definition that runs `wg agentd` with these settings. */
export function install(flags: AgentdFlags, io: CliIo): void {
  // Checked now, so the service does not fail at its first start.
  loadAgentdConfig(flags, process.env);
  const env: AgentdEnv = {};
  const fromFlags: Partial<Record<(typeof AGENTD_ENV_KEYS)[number], string | undefined>> = {
    WG_COORDINATOR_URL: flags.url,
    WG_AGENT_TOKEN: flags.token,
    WG_AGENT_TOKEN_FILE: flags.tokenFile,
    WG_COORDINATOR_CA: flags.ca,
    WG_COORDINATOR_INSECURE: flags.insecure === true ? '1' : undefined,
    REPO_PATHS: flags.repoPaths,
    ROLES: flags.roles,
    CLI_COMMAND: flags.cliCommand,
    CLI_ARGS_TEMPLATE: flags.cliArgsTemplate,
    CLI_OUTPUT: flags.cliOutput,
    MAX_JOBS: flags.maxJobs,
    TICKET_TIMEOUT_SECONDS: flags.ticketTimeout,
    LOG_LEVEL: flags.logLevel,
    WG_AGENT_HOST: flags.host,
    RUN_AS: flags.runAs,
  };
  for (const key of AGENTD_ENV_KEYS) {
    const value = fromFlags[key] ?? process.env[key];
    if (value) env[key] = value;
  }
  const installed = installAgentd(env);
  io.stdout.write(
    `wrote ${installed.file}${installed.envFile ? `\nsettings (with the token, mode 0600) in ${installed.envFile}` : ''}\nenable it with: ${installed.next}\n`,
  );
}

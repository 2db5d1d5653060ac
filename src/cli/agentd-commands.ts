import type { Command } from 'commander';
import { AgentDaemon } from '../agentd/agentd';
import { createAgentdLog } from '../agentd/agentd-log';
import { loadAgentdConfig, type AgentdFlags } from '../agentd/config';
import { AGENTD_ENV_KEYS, installAgentd, type AgentdEnv } from '../agentd/agentd-install';
import type { GlobalOptions } from './run-op';

/** The version a daemon registers with: this package's. */
const VERSION = process.env.npm_package_version ?? '0.1.0';

function withDaemonOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the coordinator (WG_COORDINATOR_URL)')
    .option('--token <token>', 'agent token from wg token create (WG_AGENT_TOKEN)')
    .option('--repo-paths <list>', 'name=path pairs or paths, comma separated (REPO_PATHS)')
    .option('--roles <list>', 'roles it claims, e.g. dev,qa (ROLES)')
    .option('--cli-command <program>', 'the agent CLI (CLI_COMMAND; default: claude as this app runs it)')
    .option('--cli-args-template <words>', 'its arguments with {prompt} {cwd} {model} {task_id} (CLI_ARGS_TEMPLATE)')
    .option('--cli-output <format>', 'claude-stream-json, codex-json or plain (CLI_OUTPUT)')
    .option('--max-jobs <n>', 'jobs at once (MAX_JOBS, default 1)')
    .option('--ticket-timeout <seconds>', 'a job longer than this is killed (TICKET_TIMEOUT_SECONDS, default 3600)')
    .option('--host <name>', 'the name it registers with (WG_AGENT_HOST, default: this machine\'s)')
    .option('--ca <file>', 'extra CA certificates (PEM) to trust the coordinator with (WG_COORDINATOR_CA)')
    .option('--log-level <level>', 'error, warn, info or debug: debug prints every protocol message (LOG_LEVEL)');
}

/** `wg agentd` (run the daemon) and `wg agentd install`; `wg agentd status` comes from the op registry. */
export function registerAgentdCommands(program: Command, _globals: () => GlobalOptions): void {
  const agentd = program.commands.find((c) => c.name() === 'agentd') ?? program.command('agentd');
  agentd.description('The agent daemon: runs tasks from a coordinator with the local agent CLI (see wg agentd run --help)');

  withDaemonOptions(agentd.command('run', { isDefault: true }))
    .description('Connect to the coordinator and run the jobs it sends (the default)')
    .action(async (flags: AgentdFlags) => {
      const config = loadAgentdConfig(flags, process.env);
      const log = createAgentdLog(config.logLevel);
      const daemon = new AgentDaemon(config, VERSION, log, () => process.exit(2));
      const stop = () => {
        log.info('stopping: the jobs it runs are killed and will be dispatched again');
        void daemon.stop().then(() => setTimeout(() => process.exit(0), 3500));
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      await daemon.start();
    });

  withDaemonOptions(agentd.command('install'))
    .description('Write a systemd user unit, a launchd plist or a Windows (WinSW) service definition that runs wg agentd with these settings')
    .action((flags: AgentdFlags) => {
      // Checked now, so the service does not fail at its first start.
      loadAgentdConfig(flags, process.env);
      const env: AgentdEnv = {};
      const fromFlags: Partial<Record<(typeof AGENTD_ENV_KEYS)[number], string | undefined>> = {
        WG_COORDINATOR_URL: flags.url, WG_AGENT_TOKEN: flags.token, WG_COORDINATOR_CA: flags.ca, REPO_PATHS: flags.repoPaths, ROLES: flags.roles,
        CLI_COMMAND: flags.cliCommand, CLI_ARGS_TEMPLATE: flags.cliArgsTemplate, CLI_OUTPUT: flags.cliOutput, MAX_JOBS: flags.maxJobs,
        TICKET_TIMEOUT_SECONDS: flags.ticketTimeout, LOG_LEVEL: flags.logLevel, WG_AGENT_HOST: flags.host,
      };
      for (const key of AGENTD_ENV_KEYS) {
        const value = fromFlags[key] ?? process.env[key];
        if (value) env[key] = value;
      }
      const installed = installAgentd(env);
      process.stdout.write(`wrote ${installed.file}${installed.envFile ? `\nsettings (with the token, mode 0600) in ${installed.envFile}` : ''}\nenable it with: ${installed.next}\n`);
    });
}

import type { Command } from 'commander';
import type { AgentdFlags } from '../agentd/config';
import { type GlobalOptions, refuseFromRun, refuseRemote } from './run-op';
import type { CliIo } from './cli-io';

/** The daemon, its CLI runner and its installer are loaded only when one of these commands runs. */
const actions = () => import('./agentd-actions');

/** An agent daemon names its coordinator itself (it runs on another machine): WG_SERVER is a person's way to one. */
const AGENTD_ELSEWHERE = 'with WG_COORDINATOR_URL and WG_AGENT_TOKEN (an agent token: wg token create NAME), without';

function withDaemonOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the coordinator (WG_COORDINATOR_URL)')
    .option('--token <token>', 'agent token from wg token create (WG_AGENT_TOKEN)')
    .option('--token-file <file>', 'read the agent token from this file, mode 600 (WG_AGENT_TOKEN_FILE)')
    .option(
      '--repo-paths <list>',
      'name=path pairs, or paths (each named by its origin remote, e.g. acme/app, else its folder), comma separated (REPO_PATHS)',
    )
    .option('--roles <list>', 'roles it claims, e.g. dev,qa (ROLES)')
    .option('--cli-command <program>', 'the agent CLI (CLI_COMMAND; default: claude as this app runs it)')
    .option('--cli-args-template <words>', 'its arguments with {prompt} {cwd} {model} {task_id} (CLI_ARGS_TEMPLATE)')
    .option(
      '--cli-output <format>',
      'auto (read from its first line; the default for a CLI_COMMAND), claude-stream-json, codex-json or plain (CLI_OUTPUT)',
    )
    .option('--max-jobs <n>', 'jobs at once (MAX_JOBS, default 1)')
    .option('--ticket-timeout <seconds>', 'a job longer than this is killed (TICKET_TIMEOUT_SECONDS, default 3600)')
    .option('--host <name>', "the name it registers with (WG_AGENT_HOST, default: this machine's)")
    .option('--ca <file>', 'extra CA certificates (PEM) to trust the coordinator with (WG_COORDINATOR_CA; else WG_CA_CERT)')
    .option('--run-as <user>', 'run jobs as this user; the daemon runs as root (RUN_AS)')
    .option(
      '--insecure',
      "send the token to another machine's http:// address, in clear text (a coordinator started with --insecure; WG_COORDINATOR_INSECURE=1)",
    )
    .option('--log-level <level>', 'error, warn, info or debug: debug prints every protocol message (LOG_LEVEL)');
}

/**
 * `wg agentd` (run the daemon) and `wg agentd install`; `wg agentd status` comes from the op registry.
 * Its `--token` is the program's own (`wg --token`, which also names a person's token for WG_SERVER):
 * given to these commands it is the agent token they connect with.
 */
export function registerAgentdCommands(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  const withToken = (flags: AgentdFlags): AgentdFlags => ({ ...flags, token: flags.token ?? globals().token });
  const agentd = program.commands.find((c) => c.name() === 'agentd') ?? program.command('agentd');
  agentd.description('The agent daemon: runs tasks from a coordinator with the local agent CLI (see wg agentd run --help)');

  withDaemonOptions(agentd.command('run', { isDefault: true }))
    .description('Connect to the coordinator and run the jobs it sends (the default)')
    .action(async (flags: AgentdFlags) => {
      refuseFromRun('run an agent daemon');
      refuseRemote('run an agent daemon', globals(), AGENTD_ELSEWHERE);
      await (await actions()).run(withToken(flags));
    });

  withDaemonOptions(agentd.command('install'))
    .description(
      'Write a systemd user unit, a launchd plist or a Windows (WinSW) service definition that runs wg agentd with these settings',
    )
    .action(async (flags: AgentdFlags) => {
      refuseFromRun('install an agent daemon');
      refuseRemote('install an agent daemon', globals(), AGENTD_ELSEWHERE);
      (await actions()).install(withToken(flags), io);
    });
}

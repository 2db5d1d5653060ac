import { type Command, Option } from 'commander';
import { ops } from '../shared/ops/registry';
import { locateProject } from '../core/project';
import { type GlobalOptions, refuseFromRun, refuseRemote, serverOf } from './run-op';
import type { CliIo } from './cli-io';
import { GROUP_SUMMARIES } from './op-commands';

/** Each action's code (the daemon, the service files, the store) is loaded only when that command runs. */
const actions = () => import('./service-actions');

/** A switch named `--no-…` that is itself (upstream's), not commander's negation of another option. */
function switchOption(flags: string, description: string): Option {
  const option = new Option(flags, description);
  option.negate = false;
  return option;
}

/** The `service` command (op-commands may have created it already, for pause/resume/reload). */
function serviceCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'service') ?? program.command('service').description(GROUP_SUMMARIES.service ?? 'service')
  );
}

function withOverrideOptions(command: Command): Command {
  return command
    .option('--max-agents <n>', 'agents at once (overrides coordinator.max_agents)')
    .option('--model <model>', 'default model (overrides coordinator.model)')
    .option('--executor <name>', 'default executor (overrides coordinator.executor)')
    .option('--interval <seconds>', "seconds between the coordinator's safety-net looks (overrides coordinator.poll_interval)")
    .option('--port <port>', 'serve the API on this port of 127.0.0.1 (as --listen 127.0.0.1:PORT)')
    .option('--listen <host:port>', 'open the API and the agent-daemon socket here (beyond loopback: with TLS or --insecure)')
    .option('--tls-cert <file>', 'TLS certificate (PEM) for --listen')
    .option('--tls-key <file>', 'TLS private key (PEM) for --listen')
    .option('--insecure', 'listen beyond loopback without TLS (tokens in clear text)');
}

/**
 * `wg service start|stop|status|restart|install`; pause, resume and reload come from the op registry.
 * Pointed at a coordinator elsewhere (WG_SERVER), `status` asks it; the others work on this machine's
 * daemon only, and say so.
 */
export function registerServiceCommands(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  const service = serviceCommand(program);
  const paths = () => locateProject({ dir: globals().dir });
  const json = () => globals().json === true;
  const here = (what: string) => {
    refuseFromRun(what);
    refuseRemote(what, globals());
  };

  withOverrideOptions(service.command('start'))
    .description('Start the coordinator for this project (in the background unless --foreground)')
    .option('--foreground', 'run in this process (for systemd/launchd, or to watch it)')
    .option('--force', 'stop a coordinator already running first (its agent runs keep running)')
    .addOption(switchOption('--no-chat-agent', 'start no chat agent (none runs here: accepted for upstream scripts)'))
    .addOption(switchOption('--no-coordinator-agent', 'the same as --no-chat-agent').hideHelp())
    .action(async (options: Record<string, unknown>) => {
      here('start the coordinator');
      await (await actions()).start(paths(), options, json(), io);
    });

  service
    .command('stop')
    .description('Stop the coordinator (agent runs keep running unless --kill-agents)')
    .option('--kill-agents', 'also kill every agent run (their tasks are unclaimed)')
    .option('--force', 'kill the coordinator (SIGKILL) rather than ask it to stop')
    .action(async (options: { killAgents?: boolean; force?: boolean }) => {
      here('stop the coordinator');
      await (await actions()).stop(paths(), options, json(), io);
    });

  service
    .command('status')
    .description(ops['service:status'].summary)
    .action(async () => {
      const act = await actions();
      await (serverOf(globals()) ? act.agentDaemonsStatus(globals(), io) : act.status(paths(), json(), io));
    });

  withOverrideOptions(service.command('restart'))
    .description('Stop and start the coordinator (agent runs keep running); without flags, as it runs now (its start or last reload flags)')
    .action(async (options: Record<string, unknown>) => {
      here('restart the coordinator');
      await (await actions()).restart(paths(), options, json(), io);
    });

  service
    .command('install')
    .description('Install a per-user service (systemd, or launchd on macOS) that starts the coordinator at login')
    .action(async () => {
      here('install a service');
      await (await actions()).install(paths(), json(), io);
    });
}

import type { Command } from 'commander';
import { ops } from '../shared/ops/registry';
import { locateProject } from '../core/project';
import { type GlobalOptions, refuseFromRun, refuseRemote, serverOf } from './run-op';

/** Each action's code (the daemon, the service files, the store) is loaded only when that command runs. */
const actions = () => import('./service-actions');

/** The `service` command (op-commands may have created it already, for pause/resume/reload). */
function serviceCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'service') ?? program.command('service').description('service commands');
}

function withOverrideOptions(command: Command): Command {
  return command
    .option('--max-agents <n>', 'agents at once (overrides coordinator.max_agents)')
    .option('--model <model>', 'default model (overrides coordinator.model)')
    .option('--executor <name>', 'default executor (overrides coordinator.executor)')
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
export function registerServiceCommands(program: Command, globals: () => GlobalOptions): void {
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
    .action(async (options: Record<string, unknown>) => {
      here('start the coordinator');
      await (await actions()).start(paths(), options, json());
    });

  service
    .command('stop')
    .description('Stop the coordinator (agent runs keep running unless --kill-agents)')
    .option('--kill-agents', 'also kill every agent run (their tasks are unclaimed)')
    .action(async (options: { killAgents?: boolean }) => {
      here('stop the coordinator');
      await (await actions()).stop(paths(), options);
    });

  service
    .command('status')
    .description(ops['service:status'].summary)
    .action(async () => {
      const act = await actions();
      await (serverOf(globals()) ? act.remoteStatus(globals()) : act.status(paths(), json()));
    });

  withOverrideOptions(service.command('restart'))
    .description('Stop and start the coordinator (agent runs keep running); without flags, as it runs now (its start or last reload flags)')
    .action(async (options: Record<string, unknown>) => {
      here('restart the coordinator');
      await (await actions()).restart(paths(), options, json());
    });

  service
    .command('install')
    .description('Install a per-user service (systemd, or launchd on macOS) that starts the coordinator at login')
    .action(async () => {
      here('install a service');
      await (await actions()).install(paths(), json());
    });
}

import type { Command } from 'commander';
import { ops } from '../shared/ops/registry';
import type { ServiceStatus } from '../shared/service-types';
import type { ServiceOverrides } from '../core/coordinator/config-view';
import { requireExecutor } from '../core/config/executors';
import { parseInput } from '../core/ops/dispatch';
import { locateProject, type ProjectPaths } from '../core/project';
import { runDaemon } from '../core/service/daemon';
import { installUserService } from '../core/service/service-install';
import { probeStatus } from '../core/service/service-probe';
import { startInBackground } from '../core/service/service-start';
import { stopService } from '../core/service/service-stop';
import { readServiceState } from '../core/service/state-file';
import { stoppedStatus } from '../core/service/service-status';
import { openProjectStore } from '../core/opening/open-store';
import { formatStatus } from './service-format';
import type { GlobalOptions } from './run-op';
import type { ListenRequest } from '../core/service/http/listen-plan';

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

/** The listen flags, when any was given (else the project's service.listen settings apply). */
function listenFrom(options: Record<string, unknown>): ListenRequest | undefined {
  const text = (key: string) => (typeof options[key] === 'string' ? (options[key] as string) : undefined);
  const request: ListenRequest = { listen: text('listen'), tlsCert: text('tlsCert'), tlsKey: text('tlsKey'), insecure: options.insecure === true };
  return request.listen || request.tlsCert || request.tlsKey || request.insecure ? request : undefined;
}

/**
 * The flags validated by the same schema as `service:reload`, so both read them alike; an executor
 * that names nothing is refused before anything starts (every task would fail).
 */
function overridesFrom(options: Record<string, unknown>, paths: ProjectPaths): ServiceOverrides {
  const input = { maxAgents: options.maxAgents, model: options.model, executor: options.executor };
  const parsed = parseInput('service:reload', Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
  if (parsed.executor !== undefined) requireExecutor(paths, parsed.executor);
  return parsed;
}

async function currentStatus(paths: ProjectPaths): Promise<ServiceStatus> {
  const running = await probeStatus(paths);
  if (running) return running;
  const { store } = openProjectStore(paths, { allowReadOnly: true });
  try {
    return stoppedStatus(paths, store);
  } finally {
    store.close();
  }
}

const print = (text: string) => process.stdout.write(`${text}\n`);

/** `wg service start|stop|status|restart|install`; pause, resume and reload come from the op registry. */
export function registerServiceCommands(program: Command, globals: () => GlobalOptions): void {
  const service = serviceCommand(program);
  const paths = () => locateProject({ dir: globals().dir });
  const json = () => globals().json === true;

  withOverrideOptions(service.command('start'))
    .description('Start the coordinator for this project (in the background unless --foreground)')
    .option('--foreground', 'run in this process (for systemd/launchd, or to watch it)')
    .action(async (options: Record<string, unknown>) => {
      const listen = listenFrom(options);
      const project = paths();
      const overrides = overridesFrom(options, project);
      if (options.foreground === true) {
        await runDaemon(project, overrides, listen);
        return;
      }
      const status = await startInBackground(project, overrides, listen);
      print(json() ? JSON.stringify(status, null, 2) : `coordinator started (pid ${status.pid})\nurl: ${status.url}`);
    });

  service
    .command('stop')
    .description('Stop the coordinator (agents keep running unless --kill-agents)')
    .option('--kill-agents', 'also kill every running agent (their tasks are unclaimed)')
    .action(async (options: { killAgents?: boolean }) => {
      const pid = await stopService(paths(), { killAgents: options.killAgents === true });
      print(pid === null ? 'coordinator is not running' : `coordinator stopped (pid ${pid})${options.killAgents ? '; agents killed' : ''}`);
    });

  service
    .command('status')
    .description(ops['service:status'].summary)
    .action(async () => {
      const status = await currentStatus(paths());
      print(json() ? JSON.stringify(status, null, 2) : formatStatus(status));
    });

  withOverrideOptions(service.command('restart'))
    .description('Stop and start the coordinator (agents keep running); without flags, as it runs now (its start or last reload flags)')
    .action(async (options: Record<string, unknown>) => {
      const project = paths();
      const given = overridesFrom(options, project);
      const state = readServiceState(project);
      const previous = state?.overrides ?? {};
      const stopped = await stopService(project, { killAgents: false });
      const status = await startInBackground(project, Object.keys(given).length > 0 ? given : previous, listenFrom(options) ?? state?.listen);
      const what = stopped === null ? 'coordinator was not running; started it' : 'coordinator restarted';
      print(json() ? JSON.stringify(status, null, 2) : `${what} (pid ${status.pid})\nurl: ${status.url}`);
    });

  service
    .command('install')
    .description('Install a per-user service (systemd, or launchd on macOS) that starts the coordinator at login')
    .action(() => {
      const installed = installUserService(paths());
      print(json() ? JSON.stringify(installed, null, 2) : `wrote ${installed.file}\nenable it with: ${installed.next}`);
    });
}

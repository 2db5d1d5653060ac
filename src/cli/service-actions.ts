import type { ServiceStatus } from '../shared/service-types';
import type { ServiceOverrides } from '../core/config/config-view';
import type { ProjectPaths } from '../core/project';
import { startInBackground, type OverrideFlags } from '../core/service/service-start';
import type { ListenRequest } from '../core/service-state/state-file';
import { formatStatus } from './service-format';
import { jsonText } from '../core/text/plain-text';
import { invalid, WgError } from '../shared/errors';
import { runOp, type GlobalOptions } from './run-op';
import type { CliIo } from './cli-io';

/**
 * What `wg service start|stop|status|restart|install` do; loaded only when one of them runs. Each loads
 * what it uses: `start` in the background only starts the daemon, which validates the flags and the
 * configuration itself and says why it cannot start in one line that comes back here (service-start.ts),
 * so the two processes of a start do that work once, in the daemon.
 */

type Options = Record<string, unknown>;
const print = (io: CliIo, text: string) => io.stdout.write(`${text}\n`);

/** The listen flags, when any was given (else the project's service.listen settings apply). */
function listenFrom(options: Record<string, unknown>): ListenRequest | undefined {
  const text = (key: string) => (typeof options[key] === 'string' ? (options[key] as string) : undefined);
  const port = text('port');
  if (port !== undefined && text('listen') !== undefined) throw invalid('give either --port or --listen, not both');
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw invalid(`--port takes a port number, got '${port}'`);
  const request: ListenRequest = {
    // Upstream's --port: its HTTP API on that port of this machine.
    listen: text('listen') ?? (port === undefined ? undefined : `127.0.0.1:${port}`),
    tlsCert: text('tlsCert'),
    tlsKey: text('tlsKey'),
    insecure: options.insecure === true,
  };
  return request.listen || request.tlsCert || request.tlsKey || request.insecure ? request : undefined;
}

/**
 * The flags validated by the same schema as `service:reload`, so both read them alike; an executor
 * that names nothing is refused before anything starts (every task would fail).
 */
async function overridesFrom(options: Record<string, unknown>, paths: ProjectPaths, io?: CliIo): Promise<ServiceOverrides> {
  const [{ parseInput }, { readExecutors, requireExecutor }, { requireDefaultExecutor }, { loadSettings }, { mistypedModelWarning }] =
    await Promise.all([
      import('../core/ops/dispatch'),
      import('../core/config/executors'),
      import('../core/config/default-executor'),
      import('../core/config/settings'),
      import('../core/config/mistyped-model'),
    ]);
  const input = { maxAgents: options.maxAgents, model: options.model, executor: options.executor, interval: options.interval };
  const parsed = parseInput('service:reload', Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
  if (parsed.executor !== undefined) await requireExecutor(paths, parsed.executor);
  else requireDefaultExecutor(paths, (await loadSettings(paths)).entries, await readExecutors(paths));
  const mistyped = parsed.model === undefined ? null : await mistypedModelWarning(paths, parsed.model);
  if (mistyped) io?.stderr.write(`wg: ${mistyped}\n`);
  return parsed;
}

async function currentStatus(paths: ProjectPaths): Promise<ServiceStatus> {
  const { probeCoordinator } = await import('../core/service/service-probe');
  const running = await probeCoordinator(paths);
  if (running && 'status' in running) return running.status;
  const [{ openProjectStore }, { stoppedStatus, silentStatus }] = await Promise.all([
    import('../core/opening/open-store'),
    import('../core/service/service-status'),
  ]);
  let opened: Awaited<ReturnType<typeof openProjectStore>>;
  try {
    opened = await openProjectStore(paths, { allowReadOnly: true });
  } catch (error) {
    // A team's database down: no coordinator here, and why the team is not known, not the database's line alone.
    if (error instanceof WgError) {
      const problem = { problem: error.message };
      return running ? silentStatus(paths, problem, running.silent) : stoppedStatus(paths, problem);
    }
    throw error;
  }
  try {
    // Busy, not gone: said as running, with what the store says beside.
    return running ? await silentStatus(paths, opened.store, running.silent) : await stoppedStatus(paths, opened.store);
  } finally {
    await opened.store.close();
  }
}

/** The override flags as given, for the daemon, which validates them. */
function givenFlags(options: Options): OverrideFlags {
  const text = (key: string) => (options[key] === undefined ? undefined : String(options[key]));
  return { maxAgents: text('maxAgents'), model: text('model'), executor: text('executor'), interval: text('interval') };
}

export async function start(paths: ProjectPaths, options: Options, json: boolean, io: CliIo): Promise<void> {
  const listen = listenFrom(options);
  if (options.foreground === true) {
    const overrides = await overridesFrom(options, paths, io);
    // The coordinator itself: loaded only in the process that becomes it, not in the one that starts it.
    const { runDaemon } = await import('../core/service/daemon');
    await runDaemon(paths, overrides, listen);
    return;
  }
  // Upstream's --force: a coordinator already running is stopped first (its agent runs keep running).
  if (options.force === true) {
    const { stopService } = await import('../core/service/service-stop');
    const stopped = await stopService(paths, { killAgents: false, notice: noticeTo(io) });
    if (stopped.pid !== null && !json) print(io, `stopped the running coordinator (pid ${stopped.pid})`);
  }
  const status = await startInBackground(paths, givenFlags(options), listen);
  print(io, json ? jsonText(status, 2) : `coordinator started (pid ${status.pid})${teamWords(status)}\nurl: ${status.url}`);
  // A misspelt setting left at its default is said where the settings are taken up.
  const { misspeltSettings } = await import('../core/config/misspelt-settings');
  for (const line of await misspeltSettings(paths)) io.stderr.write(`wg: ${line}\n`);
  const model =
    typeof options.model === 'string'
      ? await (await import('../core/config/mistyped-model')).mistypedModelWarning(paths, options.model)
      : null;
  if (model) io.stderr.write(`wg: ${model}\n`);
}

/** A team's graph: how many other coordinators are active on it beside this one. */
function teamWords(status: ServiceStatus): string {
  const lease = status.lease;
  if (lease?.role !== 'active') return '';
  const others = lease.coordinators.filter((m) => m.role === 'active' && !m.gone && m.id !== lease.me).length;
  return `, active beside ${others} other coordinator${others === 1 ? '' : 's'} of the project`;
}

export async function stop(
  paths: ProjectPaths,
  options: { killAgents?: boolean; force?: boolean },
  json: boolean,
  io: CliIo,
): Promise<void> {
  const { stopService } = await import('../core/service/service-stop');
  const force = options.force === true;
  const killAgents = options.killAgents === true;
  const { pid, leftStopped } = await stopService(paths, { killAgents, force, notice: noticeTo(io) });
  // Upstream's `wg service stop --json` (its run_stop_inner): its keys, without orphans_killed (this app
  // leaves no orphan daemon to count); with --kill-agents and none running, how many runs it left were stopped.
  if (json) {
    const notRunning = killAgents ? { error: 'Service not running', agents_killed: leftStopped } : { error: 'Service not running' };
    print(io, jsonText(pid === null ? notRunning : { status: 'stopped', pid, force, kill_agents: killAgents }, 2));
    return;
  }
  const how = force ? ' (killed)' : '';
  if (pid !== null) print(io, `coordinator stopped (pid ${pid})${how}${killAgents ? '; agents killed' : ''}`);
  else if (!killAgents) print(io, 'coordinator is not running');
  else print(io, `coordinator is not running; ${leftWords(leftStopped)}`);
}

function leftWords(stopped: number | null): string {
  if (stopped === null) return "on a team's graph the other coordinators take over the runs it left";
  if (stopped === 0) return 'no agent run was left at work';
  return `stopped ${stopped} agent run${stopped === 1 ? '' : 's'} it had left`;
}

/** What the stop says while it waits, as a `wg:` line on stderr: stdout keeps only the result. */
function noticeTo(io: CliIo): (line: string) => void {
  return (line) => io.stderr.write(`wg: ${line}\n`);
}

export async function status(paths: ProjectPaths, json: boolean, io: CliIo): Promise<void> {
  const current = await currentStatus(paths);
  print(io, json ? jsonText(current, 2) : formatStatus(current));
}

/** `wg service status` of the coordinator WG_SERVER names: what it says of itself, printed as a local one. */
export async function agentDaemonsStatus(globals: GlobalOptions, io: CliIo): Promise<void> {
  const current = await runOp('service:status', {}, globals, io);
  print(io, globals.json ? jsonText(current, 2) : formatStatus(current));
}

export async function restart(paths: ProjectPaths, options: Options, json: boolean, io: CliIo): Promise<void> {
  // Validated before the running coordinator is stopped: bad flags must not leave the project without one.
  const given = await overridesFrom(options, paths, io);
  const [{ readServiceState }, { stopService }] = await Promise.all([
    import('../core/service-state/state-file'),
    import('../core/service/service-stop'),
  ]);
  const state = readServiceState(paths);
  const previous = state?.overrides ?? {};
  const stopped = await stopService(paths, { killAgents: false, notice: noticeTo(io) });
  const started = await startInBackground(paths, Object.keys(given).length > 0 ? given : previous, listenFrom(options) ?? state?.listen);
  const what = stopped.pid === null ? 'coordinator was not running; started it' : 'coordinator restarted';
  print(io, json ? jsonText(started, 2) : `${what} (pid ${started.pid})\nurl: ${started.url}`);
}

export async function install(paths: ProjectPaths, json: boolean, io: CliIo): Promise<void> {
  // Its own chunk: the plist library (launchd) is no part of starting the daemon.
  const { installUserService } = await import('../core/service/service-install');
  const installed = installUserService(paths);
  print(io, json ? jsonText(installed, 2) : `wrote ${installed.file}\nenable it with: ${installed.next}`);
}

import { Engine } from '../coordinator/engine';
import { ensureProjectDirs } from '../project';
import { openProjectStore } from '../opening/open-store';
import { requireWhole } from '../store/database';
import { defaultWgCommand } from '../runs/starting/bundled-files';
import { CoordinatorLock } from './coordinator-lock';
import { EventStream } from './http/event-stream';
import { checkHost } from './http/guard';
import { createServiceLog } from './service-log';
import { removeServiceState, writeServiceState } from '../service-state/state-file';
import { teamConnection } from '../store/postgres/team-connection';
import { ensureToken } from './api-token';
import { opRunner, serviceControl } from './service-control';
import { ApiAddress } from './api-address';
import { coordinatorStatus } from './coordinator-status';
import { TeamLease } from './team-lease';
import { AgentDaemonService } from '../agent-daemons/agent-daemon-service';
import { TeamDaemons } from '../agent-daemons/team-daemons';
import { claimTask } from '../runs/claiming/claim';
import { AGENT_WS_PATH } from '../../shared/agent-protocol';
import { startSyncService } from '../upstream-sync/sync-service';
import { inBackground } from '../engine-log';
import { coordinatorIdentity } from '../leases/coordinator-id';
import { newOutputKey } from '../peers/output-key';
import { OutputFollows } from '../peers/output-follows';
import { DatabaseOutage } from '../database-outage/database-outage';
import { OutputFeed, RevisionFeed } from './coordinator-feeds';
import { RunMessageLooks } from './run-message-looks';
import { startCommitLooks } from './commit-looks';
import { serveApi, watchOutput } from './api-serving';
import { StartedParts } from './started-parts';

import type { CoordinatorOptions, RunningCoordinator } from './coordinator-options';

export type { CoordinatorOptions, RunningCoordinator } from './coordinator-options';

/**
 * Opens the store and starts the engine and the API, in that order of safety: the lock first (one coordinator per
 * project), the API next (agents get its URL), the engine last (reconcile, dispatch). Each part is made once what it
 * needs exists, and subscribes to the feeds it acts on. Both the daemon and the desktop app run exactly this.
 */
export async function openCoordinator(o: CoordinatorOptions): Promise<RunningCoordinator> {
  const { paths } = o;
  ensureProjectDirs(paths);
  const lock = await CoordinatorLock.acquire(paths);
  // What a start that fails part way has opened, closed again in reverse.
  const started = new StartedParts();
  started.add(async () => lock.release());
  try {
    const opened = await openProjectStore(paths);
    const store = opened.store;
    started.add(() => store.close());
    // SQLite's check of every page, once per start: a damaged graph.db is refused before the
    // coordinator says it started or writes anything.
    if (store.core.kind === 'sqlite') requireWhole(paths.db, store.core.db);
    const log = o.log ?? createServiceLog(paths.daemonLog);
    if (opened.notice) log.info(opened.notice);

    const events = new EventStream();
    const feed = new RevisionFeed(await store.core.currentRev());
    feed.onView((rev) => events.change({ rev }));
    const output = new OutputFeed();
    output.on((event) => events.output(event));
    // Beside upstream's graph.jsonl: its changes come in as it writes them, this process's go out to it. The status
    // carries the sync's problem, and a failing sync commits nothing, so every window (and `wg` watcher) is told to
    // read the status again.
    const upstream = await startSyncService(store, paths, { warn: (message) => log.warn(message), onProblem: () => feed.retell() });
    started.add(async () => upstream?.stop());
    feed.knownAlready(await store.core.currentRev());
    if (upstream) feed.onNew(() => upstream.changed());

    const address = new ApiAddress(ensureToken(paths));
    // A team's database restarting or failing over: the coordinator stays up with its runs and daemons' jobs, says so
    // once, and does what waited once the database answers again.
    const outage = new DatabaseOutage({ probe: () => store.core.currentRev(), log });
    const teamLease = new TeamLease(log, outage);
    started.add(() => teamLease.stop());
    // A team's graph: every coordinator is active, with a lease of its own; its runs name it, and the project's other
    // coordinators fetch their output from it with its output key.
    const teamConn = await teamConnection(store.core);
    const identity = teamConn ? { ...coordinatorIdentity(paths), outputKey: newOutputKey() } : null;
    if (identity) store.agents.coordinatorId = identity.id;
    // The runs of the project's other coordinators that a window here watches, followed on their owners.
    const follows = identity ? new OutputFollows({ store, me: identity.id, emit: output.emit, env: o.env }) : null;
    if (follows) feed.onNew(() => follows.look());
    const messages = new RunMessageLooks({ store, serviceDir: paths.serviceDir, coordinatorId: identity?.id ?? null, log });

    let fencedAlready = false;
    const fenced = async () => {
      if (fencedAlready) return;
      fencedAlready = true;
      messages.stop();
      const killed = await engine.fenced();
      log.error(
        `this coordinator's lease lapsed and it was declared lost: its runs were taken over by another; it wrote nothing more, stopped its ${killed} run(s), and stops`,
      );
      o.onShutdown?.({ killAgents: false });
    };
    const onFenced = () => inBackground(fenced(), (m) => log.error(m), 'the stop of a fenced coordinator');
    const engine = new Engine({
      store,
      paths,
      log,
      overrides: o.overrides,
      wgCommand: o.wgCommand ?? defaultWgCommand(),
      env: o.env,
      api: () => address.forAgents(),
      onOutput: output.emit,
      onFenced,
      // Its runs go on, for the newer wg's coordinator to adopt (on a team's graph its lease is given up, not left to lapse).
      onNewerSchema: () => o.onShutdown?.({ killAgents: false }),
      coordinatorId: identity?.id ?? null,
      mayClaim: () => teamLease.mayClaim(),
      leaseLeftMs: () => teamLease.leaseLeftMs(),
      teamCapacities: () => teamLease.capacities(),
      onTakenOver: (ids) => inBackground(agentDaemons.adoptJobs(ids), (m) => log.error(m), 'adopting the jobs of runs taken over'),
      storeUnreachable: (error) => outage.noted(error),
    });
    // Read before anything asks for it as it is (ConfigView.now): the agent daemons' side arms its jobs with it.
    await engine.config.current();

    const agentDaemons = await AgentDaemonService.start({
      // A team's graph: the daemons connected here are written in this coordinator's row of the lease table (once it
      // has one), and the others' read from theirs.
      ...(identity
        ? {
            team: {
              me: { id: identity.id, host: identity.host, folder: identity.folder },
              daemons: new TeamDaemons(() => teamLease.othersDaemons()),
              changed: () => teamLease.publishDaemons(),
            },
          }
        : {}),
      store,
      runsDir: paths.runsDir,
      engine,
      config: () => engine.config.now(),
      log,
      debug: o.debug,
      onOutput: output.emit,
      outage,
      mayClaim: () => teamLease.mayClaim(),
      starts: engine.starts,
      claim: async (taskId, daemon, daemonWg) =>
        claimTask(store, paths, await engine.config.current(), {
          taskId,
          byHand: false,
          apiUrl: null,
          apiToken: null,
          hostEnv: o.env ?? process.env,
          daemon,
          daemonWg,
        }),
    });
    started.add(async () => agentDaemons.close());
    outage.onBack(() => {
      engine.wake();
      agentDaemons.wake();
    });
    // A revoked person's open event stream ends with the commit that revoked it.
    feed.onNew(async () => {
      const people = events.personHolders();
      if (people.length > 0) events.closePeople(new Set(await agentDaemons.tokens.stale(people)));
    });
    const startedAt = new Date();
    const status = coordinatorStatus({
      startedAt,
      store,
      engine,
      agentDaemons,
      outage,
      upstream,
      lease: teamLease,
      address,
      log,
      listen: o.listen,
    });
    const control = serviceControl({ store, paths, engine, agentDaemons, status });
    const run = opRunner({ store, paths, log, engine, outage, control });

    const commits = await startCommitLooks({ store, dbPath: paths.db, feed, engine, messages, follows, log });
    started.add(async () => commits.stop());
    const server = await serveApi({
      o,
      store,
      paths,
      address,
      events,
      feed,
      output,
      follows,
      identity,
      agentDaemons,
      outage,
      engine,
      run,
      commits,
    });
    started.add(() => server.close());

    if (teamConn && identity) {
      // Its capacity as of each renewal: a pause or a new max_agents reaches the team's shares within RENEW_EVERY_MS.
      await teamLease.join(teamConn, identity, {
        url: server.baseUrl,
        capacity: () => (engine.isPaused ? 0 : engine.config.now().settings.coordinator.max_agents),
        daemons: () => agentDaemons.daemonsJson(),
        onFenced,
        onRenewed: () => {
          engine.leaseRenewed();
          agentDaemons.leaseRenewed();
        },
        onLost: () => engine.lostFound(),
      });
    }
    // Coordinating: agent daemons are taken in, and the engine reconciles and dispatches.
    agentDaemons.attach(server.tcp, (req) => checkHost(req, server.tcpTransport()), run);
    feed.onNew((rev) => {
      engine.revisionKnown(rev);
      agentDaemons.wake(rev);
    });
    await engine.start();
    // Runs a coordinator before this one left working after their jobs had ended (killed between the two commits).
    await agentDaemons.settleEndedJobs();
    agentDaemons.wake();
    // Its runs adopted from a coordinator here before it may have messages sent while none was running.
    await messages.look();

    writeServiceState(paths, {
      pid: process.pid,
      port: server.port,
      url: address.url,
      socket: paths.socket,
      started_at: startedAt.toISOString(),
      overrides: engine.config.serviceOverrides,
      host: o.host,
      listen: o.listen,
    });
    log.info(
      `coordinator started (pid ${process.pid}, ${o.host}) on ${server.baseUrl} for ${paths.root}; agent daemons connect to ${server.baseUrl.replace(/^http/, 'ws')}${AGENT_WS_PATH}`,
    );
    let closing: Promise<void> | null = null;
    return {
      paths,
      store,
      engine,
      agentDaemons,
      outage,
      log,
      url: address.url,
      control,
      importNotice: opened.notice,
      dispatch: run,
      onChange: (listener) => feed.onView(listener),
      onOutput: (listener) => output.on(listener),
      watchOutput: (agent) => watchOutput(store, follows, agent),
      close: (options) => {
        messages.stop();
        closing ??= (async () => {
          // Before the engine's stop kills and requeues the runs: the dispatcher must not claim their tasks again.
          agentDaemons.stopClaiming();
          // What still waits for the database is left as a crash would leave it: the next coordinator finds it so.
          outage.close();
          await engine.stop(options);
          follows?.close();
          await teamLease.stop();
          agentDaemons.close();
          commits.stop();
          await upstream?.stop();
          await server.close();
          removeServiceState(paths, process.pid);
          await store.close();
          log.info(
            `coordinator stopped${fencedAlready ? ' (taken over: its runs were stopped)' : options.killAgents ? ' (agents killed)' : ' (agents keep running)'}`,
          );
          lock.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await started.closeAll();
    throw error;
  }
}

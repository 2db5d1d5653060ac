import type { OutputEvent } from '../../shared/api-contract';
import { Engine } from '../coordinator/engine';
import { ensureProjectDirs } from '../project';
import { openProjectStore } from '../opening/open-store';
import type { Store } from '../store/store';
import { requireWhole } from '../store/database';
import { defaultWgCommand, rendererDir } from '../runs/starting/bundled-files';
import { CoordinatorLock } from './coordinator-lock';
import { startApiServer, type ApiServer } from './http/api-server';
import { EventStream } from './http/event-stream';
import { checkHost } from './http/guard';
import { createServiceLog } from './service-log';
import { removeServiceState, writeServiceState } from '../service-state/state-file';
import { watchCommits } from './commit-watch';
import { watchTeamCommits } from './team-commit-watch';
import { PgConnection } from '../store/postgres/pg-connection';
import { ensureToken } from './api-token';
import { listening, listenSettings, peerOutputOf } from './api-start';
import { opRunner, serviceControl } from './service-control';
import { ApiAddress } from './api-address';
import { coordinatorStatus } from './coordinator-status';
import { TeamLease } from './team-lease';
import { listenPlan } from './http/listen-plan';
import { lastPort } from './last-port';
import { RemoteService } from '../agent-daemons/remote-service';
import { TeamDaemons } from '../agent-daemons/team-daemons';
import { claimTask } from '../runs/claiming/claim';
import { AGENT_WS_PATH } from '../../shared/agent-protocol';
import { ensureSocketFolder } from '../connecting/socket-safety';
import { startSyncService, type SyncService } from '../upstream-sync/sync-service';
import { runHop } from '../timing/run-hops';
import { inBackground } from '../engine-log';
import { errorText } from '../../shared/errors';
import { coordinatorIdentity } from '../leases/coordinator-id';
import { newOutputKey } from '../peers/output-key';
import { OutputFollows } from '../peers/output-follows';
import { markInboxesOfOwnRuns } from '../messages/team-delivery';
import { DatabaseOutage, databaseAwayError } from '../database-outage/database-outage';

import type { CoordinatorOptions, RunningCoordinator } from './coordinator-options';

export type { CoordinatorOptions, RunningCoordinator } from './coordinator-options';

/**
 * Opens the store and starts the engine and the API, in that order of safety: the lock first (one
 * coordinator per project), the API next (agents get its URL), the engine last (reconcile, dispatch).
 * Both the daemon and the desktop app run exactly this.
 */
export async function openCoordinator(o: CoordinatorOptions): Promise<RunningCoordinator> {
  const { paths } = o;
  ensureProjectDirs(paths);
  const lock = await CoordinatorLock.acquire(paths);
  let store: Store | null = null;
  let server: ApiServer | null = null;
  let remoteService: RemoteService | null = null;
  let upstream: SyncService | null = null;
  let leases: TeamLease | null = null;
  try {
    const opened = await openProjectStore(paths);
    store = opened.store;
    // SQLite's check of every page, once per start: a damaged graph.db is refused before the
    // coordinator says it started or writes anything.
    if (store.core.kind === 'sqlite') requireWhole(paths.db, store.core.db);
    const openStore = store;
    const log = o.log ?? createServiceLog(paths.daemonLog);
    if (opened.notice) log.info(opened.notice);
    const events = new EventStream();
    const changeListeners = new Set<(rev: number) => void>();
    // Beside upstream's graph.jsonl: its changes come in as it writes them, this process's go out to it.
    const upstreamSync = await startSyncService(openStore, paths, {
      warn: (message) => log.warn(message),
      // The status carries the sync's problem; a failing sync commits nothing, so every window (and `wg` watcher) is
      // told to read the status again by a change event of the revision it has (no write to graph.db: it may be the
      // very thing failing, a full disk). Told after a sync's await, so never before lastRev below is set.
      onProblem: () => {
        events.change({ rev: lastRev });
        for (const listener of changeListeners) listener(lastRev);
      },
    });
    upstream = upstreamSync;
    const token = ensureToken(paths);
    const address = new ApiAddress(token);
    const outputListeners = new Set<(event: OutputEvent) => void>();
    let lastRev = await openStore.core.currentRev();
    // Commits of this process arrive by onCommit, other processes' by pokes: one feed for both.
    let remoteWake = (_rev: number) => {};
    let closeRevokedStreams = async (): Promise<void> => {};
    let follows: OutputFollows | null = null;
    const changed = async (rev: number) => {
      if (rev <= lastRev) return;
      lastRev = rev;
      events.change({ rev });
      for (const listener of changeListeners) listener(rev);
      remoteWake(rev);
      upstreamSync?.changed();
      await closeRevokedStreams();
      await follows?.look();
    };
    const watchOutput = async (agent: string) => {
      await openStore.agents.get(agent);
      return (await follows?.watch(agent)) ?? (() => undefined);
    };
    const emitOutput = (event: OutputEvent) => {
      events.output(event);
      for (const listener of outputListeners) listener(event);
    };
    // A team's database restarting or failing over: the coordinator stays up with its runs and daemons' jobs, says so
    // once, and does what waited once the database answers again (then the engine and the dispatcher look again).
    const outage = new DatabaseOutage({
      probe: () => openStore.core.currentRev(),
      onBack: () => {
        engine.wake();
        remoteService?.wake();
      },
      log,
    });
    const wgCommand = o.wgCommand ?? defaultWgCommand();
    const teamLease = new TeamLease(log, outage);
    leases = teamLease;
    // A team's graph: every coordinator is active, with a lease of its own; its runs name it, and the project's other
    // coordinators fetch their output from it with its output key.
    const teamConn = openStore.core.conn instanceof PgConnection ? openStore.core.conn : null;
    const identity = teamConn ? { ...coordinatorIdentity(paths), outputKey: newOutputKey() } : null;
    if (identity) openStore.agents.coordinatorId = identity.id;
    // The runs of the project's other coordinators that a window here watches, followed on their owners.
    if (identity) follows = new OutputFollows({ store: openStore, me: identity.id, emit: emitOutput, env: o.env });
    const engine = new Engine({
      store: openStore,
      paths,
      log,
      overrides: o.overrides,
      wgCommand,
      env: o.env,
      api: () => address.forAgents(),
      onOutput: emitOutput,
      onFenced: () => inBackground(fenced(), (m) => log.error(m), 'the stop of a fenced coordinator'),
      // Its runs go on, for the newer wg's coordinator to adopt (on a team's graph its lease is given up, not left to lapse).
      onNewerSchema: () => o.onShutdown?.({ killAgents: false }),
      coordinatorId: identity?.id ?? null,
      mayClaim: () => teamLease.mayClaim(),
      leaseLeftMs: () => teamLease.leaseLeftMs(),
      teamCapacities: () => teamLease.capacities(),
      onTakenOver: (ids) => {
        if (remoteService) inBackground(remoteService.adoptJobs(ids), (m) => log.error(m), 'adopting the jobs of runs taken over');
      },
      storeUnreachable: (error) => outage.noted(error),
    });
    // Read before anything asks for it as it is (ConfigView.now): the agent daemons' side arms its jobs with it.
    await engine.config.current();
    // A team's graph: the daemons connected here are written in this coordinator's row of the lease table (once it has
    // one), and the others' read from theirs.
    const team = identity
      ? {
          me: { id: identity.id, host: identity.host, folder: identity.folder },
          daemons: new TeamDaemons(() => teamLease.othersDaemons()),
          changed: () => teamLease.publishDaemons(),
        }
      : undefined;
    const remote = await RemoteService.start({
      ...(team ? { team } : {}),
      store: openStore,
      runsDir: paths.runsDir,
      engine,
      config: () => engine.config.now(),
      log,
      debug: o.debug,
      onOutput: emitOutput,
      outage,
      runOp: (name, input, actor, agent) => run(name, input, actor, agent),
      mayClaim: () => teamLease.mayClaim(),
      starts: engine.starts,
      claim: async (taskId, daemon, daemonWg) =>
        claimTask(openStore, paths, await engine.config.current(), {
          taskId,
          byHand: false,
          apiUrl: null,
          apiToken: null,
          hostEnv: o.env ?? process.env,
          daemon,
          daemonWg,
        }),
    });
    remoteService = remote;
    // A revoked person's open event stream ends with the commit that revoked it.
    closeRevokedStreams = async () => {
      const people = events.personHolders();
      if (people.length > 0) events.closePeople(new Set(await remote.tokens.stale(people)));
    };
    const startedAt = new Date();
    const status = coordinatorStatus({
      startedAt,
      store: openStore,
      engine,
      remote,
      outage,
      upstream: upstreamSync,
      lease: teamLease,
      address,
      log,
      listen: o.listen,
    });
    const control = serviceControl({ store: openStore, paths, engine, remote, status });
    const run = opRunner({ store: openStore, paths, log, engine, outage, control });
    // A revision that cannot be read (a damaged or replaced graph.db) is no change: the engine's next
    // turn meets the same failure and says it once (engine.ts), where a throw here was logged at every look.
    const revNow = async () => {
      try {
        return await openStore.core.currentRev();
      } catch {
        engine.wake();
        return lastRev;
      }
    };
    // Fenced or closing: its runs are another's, or stopping, and their messages are not this one's to look for.
    let delivering = true;
    // A team's graph: other coordinators of the project fetch the output of the runs this one started, and its runs'
    // messages may be sent through any of them.
    const deliverMessages = async () => {
      if (!identity || !delivering) return;
      try {
        await markInboxesOfOwnRuns(openStore, paths.serviceDir, identity.id);
      } catch (error) {
        log.warn(`could not look for messages to this coordinator's runs: ${errorText(error)}`);
      }
    };
    // One look for messages per round of the event loop, however many commits it heard (a coordinator that wakes from
    // a freeze hears every commit made meanwhile at once).
    let deliveryQueued = false;
    const queueDelivery = () => {
      if (deliveryQueued) return;
      deliveryQueued = true;
      setImmediate(() => {
        deliveryQueued = false;
        // It says what it meets itself.
        void deliverMessages();
      });
    };
    /**
     * A commit may have come: the project's revision is read, and one past the last known is looked at. `settings`
     * whether it may have written the team's settings (a team's graph keeps them in the store: an announcement says
     * when it did; a look without one cannot tell). The turn it wakes goes first, then the look for messages to this
     * coordinator's runs.
     */
    const lookAgain = async (settings = true) => lookAt(await revNow(), settings);
    /** A revision read from the store (never one an announcement named: anyone on the database may announce). */
    const lookAt = async (rev: number, settings: boolean) => {
      if (rev <= lastRev) return false;
      runHop('d-watch');
      await changed(rev);
      if (settings) engine.config.recheck();
      engine.wake();
      queueDelivery();
      return true;
    };
    /** The last revision known from an announcement that called it quiet, with no turn taken for it. */
    let quietOnly: number | null = null;
    const commits =
      openStore.core.conn instanceof PgConnection
        ? await watchTeamCommits(
            openStore.core.conn,
            () => ({ rev: lastRev, quietOnly }),
            lookAgain,
            (message) => log.warn(message),
            // A sweep declared coordinators lost, or one joined (a word on the channel, not a revision): their runs are
            // taken over now, and a follow of a run whose owner is back resumes.
            async () => {
              engine.lostFound();
              await follows?.look();
            },
            // Another coordinator's commit that leaves nothing to act on (its claims, or a turn that left no task to start):
            // the window sees it, and no turn is taken for it. Only when the revision read is the one announced: past
            // it, later commits came that the announcement says nothing of, and below it, the announcement was not a
            // commit's (a forged one must not make a revision known that is not yet the store's).
            async (announced) => {
              const rev = await revNow();
              if (rev !== announced) {
                await lookAt(rev, true);
                return;
              }
              if (rev <= lastRev) return;
              runHop('d-quiet');
              quietOnly = rev;
              await changed(rev);
            },
            // The team's settings changed in a revision this coordinator already knew: read again at its next look.
            () => {
              engine.config.recheck();
              engine.wake();
            },
            // A revision taken as quiet is announced again as one to act on: one of the two announcements was not its
            // commit's, and the turn the quiet one spared is taken after all.
            () => {
              engine.config.recheck();
              engine.wake();
              queueDelivery();
            },
          )
        : watchCommits(paths.db, lookAgain, (message) => log.warn(message));
    const unsubscribeCommits = openStore.onCommit((rev) => {
      commits.ownCommit();
      // Past the next revision: another process committed since the last one known, and its notice, of a lower
      // revision, will read as known. The engine looks again (a commit of its own outside a turn, a run's first
      // figures say, wakes nothing by itself; during a turn the wake is already answered by that turn's read), and
      // the messages it may have sent to this coordinator's runs are looked for.
      if (rev > lastRev + 1) {
        engine.wake();
        queueDelivery();
      }
      inBackground(changed(rev), (m) => log.warn(m), 'telling of a commit');
    });
    ensureSocketFolder(paths.socket);
    // Given no port, the one it had last time if free: a restart comes back at the address a browser tab has open.
    const planned = listenPlan(o.listen ?? listenSettings((await engine.config.current()).settings));
    const listenOn = planned.port === 0 ? { ...planned, preferredPort: lastPort(paths) } : planned;
    server = await startApiServer(
      {
        token,
        people: async (given) => {
          try {
            return await remote.tokens.person(given);
          } catch (error) {
            if (outage.noted(error)) throw databaseAwayError(error);
            throw error;
          }
        },
        events,
        watchOutput: (agent) => watchOutput(agent),
        rendererDir: rendererDir(),
        currentRev: () => lastRev,
        dispatch: (name, input, actor, agent, person, warn) => run(name, input, actor, agent, person, warn),
        poked: async () => {
          runHop('d-poke');
          // A `wg` process pokes after each change, config.toml's too (`wg config --worktrees false && wg add`):
          // the turn it wakes reads the file as it is now, not the copy cached a moment before.
          const reloaded = await engine.config.refresh();
          // A poke that brings nothing new takes no turn: the change's own notice (PostgreSQL's NOTIFY, the WAL's
          // watch) usually gets here first and has had its turn, and a second one would only compete with the
          // runs that turn started.
          if (!(await lookAgain()) && reloaded) engine.wake();
          return lastRev;
        },
        shutdown: o.onShutdown,
        peerOutput: identity
          ? peerOutputOf(openStore, paths, identity, {
              onOutput: (listener) => {
                outputListeners.add(listener);
                return () => outputListeners.delete(listener);
              },
              onChange: (listener) => {
                changeListeners.add(listener);
                return () => changeListeners.delete(listener);
              },
            })
          : undefined,
      },
      paths.socket,
      listenOn,
    );
    listening(paths, address, server, listenOn);
    const url = address.url;
    const apiServer = server;
    // Coordinating: agent daemons are taken in, and the engine reconciles and dispatches.
    const begin = async () => {
      remote.attach(apiServer.tcp, (req) => checkHost(req, apiServer.tcpTransport()));
      remoteWake = (rev) => remote.wake(rev);
      await engine.start();
      remote.wake();
      // Its runs adopted from a coordinator here before it may have messages sent while none was running.
      await deliverMessages();
    };
    let fencedAlready = false;
    const fenced = async () => {
      if (fencedAlready) return;
      fencedAlready = true;
      delivering = false;
      const killed = await engine.fenced();
      log.error(
        `this coordinator's lease lapsed and it was declared lost: its runs were taken over by another; it wrote nothing more, stopped its ${killed} run(s), and stops`,
      );
      o.onShutdown?.({ killAgents: false });
    };
    if (teamConn && identity) {
      // Its capacity as of each renewal: a pause or a new max_agents reaches the team's shares within RENEW_EVERY_MS.
      await teamLease.join(teamConn, identity, {
        url: apiServer.baseUrl,
        capacity: () => (engine.isPaused ? 0 : engine.config.now().settings.coordinator.max_agents),
        daemons: () => remote.daemonsJson(),
        onFenced: () => inBackground(fenced(), (m) => log.error(m), 'the stop of a fenced coordinator'),
        onRenewed: () => {
          engine.leaseRenewed();
          remote.leaseRenewed();
        },
        onLost: () => engine.lostFound(),
      });
    }
    await begin();
    writeServiceState(paths, {
      pid: process.pid,
      port: server.port,
      url,
      socket: paths.socket,
      started_at: startedAt.toISOString(),
      overrides: engine.config.serviceOverrides,
      host: o.host,
      listen: o.listen,
    });
    log.info(
      `coordinator started (pid ${process.pid}, ${o.host}) on ${server.baseUrl} for ${paths.root}; agent daemons connect to ${server.baseUrl.replace(/^http/, 'ws')}${AGENT_WS_PATH}`,
    );
    const openServer = server;
    let closing: Promise<void> | null = null;
    return {
      paths,
      store: openStore,
      engine,
      remote,
      outage,
      log,
      url,
      control,
      importNotice: opened.notice,
      dispatch: run,
      onChange: (listener) => {
        changeListeners.add(listener);
        return () => changeListeners.delete(listener);
      },
      onOutput: (listener) => {
        outputListeners.add(listener);
        return () => outputListeners.delete(listener);
      },
      watchOutput,
      close: (options) => {
        delivering = false;
        closing ??= (async () => {
          // Before the engine's stop kills and requeues the runs: the dispatcher must not claim their tasks again.
          remote.stopClaiming();
          // What still waits for the database is left as a crash would leave it: the next coordinator finds it so.
          outage.close();
          await engine.stop(options);
          follows?.close();
          await teamLease.stop();
          remote.close();
          unsubscribeCommits();
          commits.stop();
          await upstreamSync?.stop();
          await openServer.close();
          removeServiceState(paths, process.pid);
          await openStore.close();
          log.info(
            `coordinator stopped${fencedAlready ? ' (taken over: its runs were stopped)' : options.killAgents ? ' (agents killed)' : ' (agents keep running)'}`,
          );
          lock.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await leases?.stop();
    await upstream?.stop();
    remoteService?.close();
    await server?.close();
    await store?.close();
    lock.release();
    throw error;
  }
}

import type { RunEvent } from '../../shared/run-event';
import { AgencyRuns } from '../agency/agency-runs';
import { ConfigView } from '../config/config-view';
import { storeLocation } from '../config/store-location';
import { inBackground } from '../engine-log';
import { StartGate } from '../leases/start-gate';
import { AgentJudge } from '../runs/judging/agent-judge';
import { LocalRuns } from '../runs/local-runs';
import { derivedRecord, LaunchRecords } from '../runs/run-views';
import { baseAgentEnv } from '../runs/starting/agent-env';
import { storeSecrets } from '../runs/starting/store-access-env';
import { WaitWatch } from '../waiting/wait-watch';
import { ChatAgent } from './chat-agent';
import type { EngineOptions } from './engine-options';
import { ExitReadsAhead } from './exit-reads-ahead';
import { Launches } from './launches';
import { StartHolds } from './start-holds';
import { TeamTurn } from './team-turn';
import { Turn } from './turn';
import { TurnActions } from './turn-actions';
import { TurnInbox } from './turn-inbox';
import { TurnReads } from './turn-reads';
import { TurnTransactions } from './turn-transaction';
import { WaitingNotices } from './waiting-notice';
import { WakeTimers } from './wake-timers';
import { WorktreeSweeper } from './worktree-sweeper';

/** What the parts ask of the engine that drives them (engine.ts). */
export interface EngineDrive {
  /** Look again soon (Engine.wake). */
  wake(): void;
  paused(): boolean;
  stopping(): boolean;
  /** Where the agents' `wg` is installed, once the engine started. */
  wgBinDir(): string;
  /** A run's output brought figures (Engine.onRunEvents). */
  onRunEvents(agentId: string, events: RunEvent[], total: number): Promise<void>;
}

/**
 * The engine's parts, built in the order they use each other. Three ask back of a part built after them, at run time
 * only: a local run's end goes to the judge (which runs internal runs), the judge settles through the turn's actions
 * (whose triage is the judge's), and a refused claim asks the turn to look again (the turn claims through Launches).
 */
export function engineParts(o: EngineOptions, drive: EngineDrive) {
  /** Ended runs and started runs' pids, for the next pump. */
  const inbox = new TurnInbox(() => drive.wake());
  const waiting = new WaitingNotices();
  /** What this machine lacks for a start (an agent CLI, a first commit): its tasks wait, and the coordinator is woken once it is there. */
  const holds = new StartHolds((cleared) => {
    for (const hold of cleared) {
      o.log.info(`${hold.cleared}: the tasks of executor ${hold.executors.map((e) => `'${e}'`).join(', ')} that waited may start`);
    }
    drive.wake();
  });
  const env = o.env ?? process.env;
  // Its runs get no way into the store but its API: not its PG* variables, nor its store's URL or password.
  const baseEnv = baseAgentEnv(env, storeSecrets(storeLocation(o.paths), env));
  const starts = new StartGate(
    () => o.mayClaim?.() ?? true,
    () => o.leaseLeftMs?.() ?? Number.POSITIVE_INFINITY,
  );
  const config = new ConfigView(o.paths, o.overrides ?? {}, (m) => o.log.warn(m));
  const records = new LaunchRecords(
    (id) => o.store.agents.launchRecord(id),
    (agent) => derivedRecord(agent, config.now()),
    (id) => o.store.agents.find(id),
  );
  const timers = new WakeTimers(() => drive.wake());
  const parked = new WaitWatch(
    () => drive.wake(),
    (m) => o.log.warn(m),
  );
  const runs = new LocalRuns({
    store: o.store,
    paths: o.paths,
    records,
    log: o.log,
    monitorPollMs: o.monitorPollMs,
    startContext: () => {
      const api = o.api?.() ?? { url: null, token: null };
      const { settings } = config.now();
      return {
        paths: o.paths,
        store: o.store,
        settings,
        baseEnv,
        wgBinDir: drive.wgBinDir(),
        apiUrl: api.url,
        apiToken: api.token,
        startWindowMs: () => starts.startWindowMs(),
      };
    },
    starts,
    onEvents: (agentId, events, total) =>
      inBackground(drive.onRunEvents(agentId, events, total), (m) => o.log.error(m), `${agentId}'s figures`),
    // What the run made outside its branch is accounted for first (AgentJudge.settleStrays), then its end judged.
    onExit: (exit) => void judge.settleStrays(exit.agentId).then(() => inbox.exited(exit)),
    onLeftoversStopped: () => sweeper.request(),
  });
  // Before the sweeper and the judge, whose gate it is.
  const agency = new AgencyRuns({
    store: o.store,
    paths: o.paths,
    config: () => config.now(),
    hostEnv: env,
    log: o.log,
    run: (request) => runs.runInternal(request),
    wake: () => drive.wake(),
    // Held with the tasks waiting for the same program: looked at every few seconds, woken once it is found.
    waiting: (waits, taskId) => void holds.hold(waits, taskId),
    stopping: () => drive.stopping(),
  });
  const sweeper = new WorktreeSweeper({ store: o.store, paths: o.paths }, o.log, () => agency.gate());
  const transactions = new TurnTransactions({
    store: o.store,
    paths: o.paths,
    log: o.log,
    timers,
    sweeper,
    onFenced: o.onFenced,
    onNewerSchema: o.onNewerSchema,
    storeUnreachable: o.storeUnreachable,
  });
  const judge: AgentJudge = new AgentJudge({
    store: o.store,
    paths: o.paths,
    records,
    config,
    env,
    log: o.log,
    // The judge settles through the turn's actions, whose triage is the judge's: one of the two is built first.
    perform: (list, read): Promise<void> => actions.performAll(list, read),
    wake: () => drive.wake(),
    stopping: () => drive.stopping(),
    paused: () => drive.paused(),
    runInternal: (request) => runs.runInternal(request),
    gate: () => agency.gate(),
  });
  const launches: Launches = new Launches({
    store: o.store,
    paths: o.paths,
    log: o.log,
    config,
    records,
    timers,
    runs,
    judge,
    inbox,
    starts,
    api: () => o.api?.() ?? { url: null, token: null },
    env,
    holds,
    // The turn's claim of it took no slot: the next turn passes the task over and claims another.
    refused: () => turn.askAgain(),
  });
  const actions: TurnActions = new TurnActions({
    store: o.store,
    paths: o.paths,
    log: o.log,
    transactions,
    launches,
    runs,
    judge,
    agency,
    stopping: () => drive.stopping(),
  });
  const reads = new TurnReads({
    store: o.store,
    config,
    records,
    runs,
    agency,
    holds,
    me: o.coordinatorId ?? null,
    paused: () => drive.paused(),
    mayClaim: () => o.mayClaim?.() ?? true,
    teamCapacities: () => o.teamCapacities?.() ?? [],
  });
  const team = o.coordinatorId
    ? new TeamTurn({
        me: o.coordinatorId,
        store: o.store,
        log: o.log,
        config: () => config.now(),
        records,
        timers,
        // Whole: the claims of a plan that still holds stand on what its snapshot read (ClaimPlan.known).
        tickState: () => reads.tickState(true),
        runsState: async () => (await reads.stateNow(() => 0)).state,
        readyToTell: () => waiting.readyToTell(o.store, config.now(), o.store.core.clock()),
        untold: (rows) => waiting.untold(o.store.core, rows),
        performAll: (list) => actions.performAll(list),
        onCommit: (then) => transactions.onCommit(then),
        onTakenOver: o.onTakenOver,
      })
    : null;
  const ahead = team
    ? new ExitReadsAhead({ store: o.store, readRows: (ids) => judge.readExitRows(ids), running: () => runs.watched() })
    : null;
  const turn: Turn = new Turn({
    store: o.store,
    log: o.log,
    config,
    inbox,
    transactions,
    reads,
    actions,
    judge,
    agency,
    team,
    ahead,
    timers,
    waiting,
    holds,
    parked,
    paused: () => drive.paused(),
    wake: () => drive.wake(),
  });
  const chatAgent = new ChatAgent({
    store: o.store,
    paths: o.paths,
    settings: () => config.now().settings,
    hostEnv: env,
    run: (request) => runs.runInternal(request),
    log: o.log,
  });
  return {
    env,
    inbox,
    waiting,
    holds,
    starts,
    config,
    records,
    timers,
    parked,
    runs,
    agency,
    sweeper,
    transactions,
    judge,
    launches,
    actions,
    reads,
    team,
    ahead,
    turn,
    chatAgent,
  };
}

import type { AgentDaemonService } from '../agent-daemons/agent-daemon-service';
import { ensureSocketFolder } from '../connecting/socket-safety';
import type { Engine } from '../coordinator/engine';
import { databaseAwayError, type DatabaseOutage } from '../database-outage/database-outage';
import type { OutputFollows } from '../peers/output-follows';
import type { ProjectPaths } from '../project';
import { rendererDir } from '../runs/starting/bundled-files';
import type { Store } from '../store/store';
import { runHop } from '../timing/run-hops';
import type { ApiAddress } from './api-address';
import { listening, listenSettings, peerOutputOf } from './api-start';
import type { CommitLooks } from './commit-looks';
import type { CoordinatorOptions } from './coordinator-options';
import type { OutputFeed, RevisionFeed } from './coordinator-feeds';
import { type ApiServer, startApiServer } from './http/api-server';
import type { EventStream } from './http/event-stream';
import { listenPlan } from './http/listen-plan';
import { lastPort } from './last-port';
import type { RunOp } from './service-control';
import type { TeamIdentity } from './team-lease';

/** What the coordinator's API is served from: the parts openCoordinator has made by then. */
export interface ApiParts {
  o: Pick<CoordinatorOptions, 'listen' | 'onShutdown'>;
  store: Store;
  paths: ProjectPaths;
  address: ApiAddress;
  events: EventStream;
  feed: RevisionFeed;
  output: OutputFeed;
  follows: OutputFollows | null;
  identity: TeamIdentity | null;
  agentDaemons: AgentDaemonService;
  outage: DatabaseOutage;
  engine: Engine;
  run: RunOp;
  commits: CommitLooks;
}

/** The coordinator's HTTP API and socket, listening, its address known (ApiAddress). */
export async function serveApi(p: ApiParts): Promise<ApiServer> {
  const { store, paths, engine, feed } = p;
  ensureSocketFolder(paths.socket);
  // Given no port, the one it had last time if free: a restart comes back at the address a browser tab has open.
  const planned = listenPlan(p.o.listen ?? listenSettings((await engine.config.current()).settings));
  const listenOn = planned.port === 0 ? { ...planned, preferredPort: lastPort(paths) } : planned;
  const server = await startApiServer(
    {
      token: p.address.token,
      people: async (given) => {
        try {
          return await p.agentDaemons.tokens.person(given);
        } catch (error) {
          if (p.outage.noted(error)) throw databaseAwayError(error);
          throw error;
        }
      },
      events: p.events,
      watchOutput: (agent) => watchOutput(store, p.follows, agent),
      rendererDir: rendererDir(),
      currentRev: () => feed.rev,
      dispatch: (name, input, actor, agent, person, warn) => p.run(name, input, actor, agent, person, warn),
      poked: async () => {
        runHop('d-poke');
        // A `wg` process pokes after each change, config.toml's too (`wg config --worktrees false && wg add`):
        // the turn it wakes reads the file as it is now, not the copy cached a moment before.
        const reloaded = await engine.config.refresh();
        // A poke that brings nothing new takes no turn: the change's own notice (PostgreSQL's NOTIFY, the WAL's
        // watch) usually gets here first and has had its turn, and a second one would only compete with the
        // runs that turn started.
        if (!(await p.commits.lookAgain()) && reloaded) engine.wake();
        return feed.rev;
      },
      shutdown: p.o.onShutdown,
      peerOutput: p.identity
        ? peerOutputOf(store, paths, p.identity, {
            onOutput: (listener) => p.output.on(listener),
            onChange: (listener) => feed.onView(listener),
          })
        : undefined,
    },
    paths.socket,
    listenOn,
  );
  listening(paths, p.address, server, listenOn);
  return server;
}

/**
 * A window watches a run's output (the run must exist): on a team's graph, a run of another coordinator is followed
 * on its owner until the release.
 */
export async function watchOutput(store: Store, follows: OutputFollows | null, agent: string): Promise<() => void> {
  await store.agents.get(agent);
  return (await follows?.watch(agent)) ?? (() => undefined);
}

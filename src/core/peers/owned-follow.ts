import type { ServerResponse } from 'node:http';
import type { OutputEvent } from '../../shared/api-contract';
import { isAlive } from '../../shared/agent';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { type Clock, realClock } from '../timing/clock';
import { FOLLOW_KEEPALIVE_MS } from './output-key';
import { ownedRunEvents } from './owned-output';

/** What a coordinator needs to let another coordinator of its project follow a run it started. */
export interface OwnedFollowSource {
  store: Store;
  paths: Pick<ProjectPaths, 'runsDir'>;
  /** This coordinator's id (agents.coordinator_id of its runs). */
  me: string;
  onOutput(listener: (event: OutputEvent) => void): () => void;
  onChange(listener: () => void): () => void;
  /** How often a quiet run's total is repeated (FOLLOW_KEEPALIVE_MS). */
  keepaliveMs?: number;
  /** Times the keepalive: a test moves it, rather than waiting for keepalives in real time. */
  clock?: Clock;
}

/**
 * Answers a follow of one of its own runs: a line `{"total":N}` now and at each growth of the run's output,
 * then `{"ended":true}` when the run ends, and the answer ends. One request for the run's whole life: the
 * follower reads pages with the output route as a window asks for them.
 */
export async function serveOwnedFollow(source: OwnedFollowSource, agent: string, res: ServerResponse): Promise<void> {
  const { store, paths, me } = source;
  // Refused before anything is sent: a run this coordinator did not start (404).
  let last = (await ownedRunEvents(store, paths, me, agent, 0, 0)).total;
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  const send = (line: unknown) => res.write(`${JSON.stringify(line)}\n`);
  send({ total: last });
  let done = false;
  const clock = source.clock ?? realClock;
  const everyMs = source.keepaliveMs ?? FOLLOW_KEEPALIVE_MS;
  const beat = () => {
    send({ total: last });
    stopKeepalive = clock.after(everyMs, beat);
  };
  let stopKeepalive = clock.after(everyMs, beat);
  const stop = () => {
    if (done) return;
    done = true;
    stopKeepalive();
    unsubscribeOutput();
    unsubscribeChange();
  };
  const grown = (total: number) => {
    if (total <= last) return;
    last = total;
    send({ total });
  };
  const unsubscribeOutput = source.onOutput((event) => {
    if (event.agent_id === agent) grown(event.total);
  });
  const endIfEnded = async () => {
    try {
      // Taken over by another coordinator (or gone): the answer ends without `ended`, and the follower looks for
      // the run's owner again.
      if ((await store.agents.coordinatorOf(agent)) !== me) throw new Error("no longer this coordinator's run");
      const row = await store.agents.find(agent);
      if (row && isAlive(row)) return;
      // Whatever the run wrote last, read from its folder: its final events may not have been announced yet.
      grown((await ownedRunEvents(store, paths, me, agent, 0, 0)).total);
      send({ ended: true });
    } catch {
      // Runs inside the commit's listeners: nothing may escape to the others.
    }
    stop();
    res.end();
  };
  // endIfEnded catches everything itself: nothing escapes to the commit's other listeners.
  const unsubscribeChange = source.onChange(() => void endIfEnded());
  res.on('close', stop);
  await endIfEnded();
}

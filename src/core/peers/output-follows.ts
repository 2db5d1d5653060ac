import type { OutputEvent } from '../../shared/api-contract';
import { isAlive } from '../../shared/agent';
import type { Store } from '../store/store';
import type { OwningCoordinator } from './peer-fetch';
import { followPeerOutput, type PeerFollow } from './peer-follow';

interface Follow {
  agent: string;
  watchers: number;
  /** The run's output as last heard from its owner. */
  total: number;
  conn: PeerFollow | null;
  /** The owner (its address and key) the live connection follows. */
  with: string | null;
  /** Nothing (more) to follow: the run ended, or it is this coordinator's own. */
  done: boolean;
  /** The owner (its address and key) the follow was lost with: it is tried again only once its row names another. */
  lostWith: string | null;
}

export interface OutputFollowsOptions {
  store: Store;
  /** This coordinator's id: its own runs' output comes from its run monitor, not from a follow. */
  me: string;
  /** Relays a growth of a followed run's output (or, with `away`, that its owner cannot be reached). */
  emit(event: OutputEvent): void;
  env?: NodeJS.ProcessEnv;
}

/**
 * On a team's graph, the runs of other coordinators that a window here watches: each is followed on the
 * coordinator that ran it (one long answer, peer-follow.ts) while at least one window watches it and the run
 * works, and each growth is relayed on this coordinator's own event stream as its own runs' are. An owner
 * that goes away gives one line; the follow resumes, from the total last heard, when the owner's row names
 * it again (a restarted coordinator writes a fresh key), seen at the next commit or coordinator joining.
 */
export class OutputFollows {
  private readonly follows = new Map<string, Follow>();

  constructor(private readonly o: OutputFollowsOptions) {}

  /** A window watches this run's output; returns the release. */
  async watch(agent: string): Promise<() => void> {
    let follow = this.follows.get(agent);
    if (!follow) {
      follow = { agent, watchers: 0, total: 0, conn: null, with: null, done: false, lostWith: null };
      this.follows.set(agent, follow);
      await this.connect(follow);
    }
    follow.watchers++;
    const held = follow;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.watchers--;
      if (held.watchers > 0) return;
      held.conn?.close();
      held.conn = null;
      // Not a later watch's follow of the same run (this release may come after close() or a new watch).
      if (this.follows.get(agent) === held) this.follows.delete(agent);
    };
  }

  /**
   * After a commit, or a coordinator joining: a lost follow whose owner is back resumes, and a live one whose run
   * another coordinator took over follows its new owner.
   */
  async look(): Promise<void> {
    for (const follow of this.follows.values()) {
      if (follow.done) continue;
      if (follow.conn === null) {
        await this.connect(follow);
        continue;
      }
      // A run that ended is left to its answer, which brings its last growth and its end.
      const now = (await this.owner(follow)).attempt;
      if (now !== null && now !== follow.with) {
        follow.conn.close();
        follow.conn = null;
        await this.connect(follow);
      }
    }
  }

  close(): void {
    for (const follow of this.follows.values()) follow.conn?.close();
    this.follows.clear();
  }

  /** Who owns the followed run now: null when there is nothing to follow (it ended, or it is this coordinator's). */
  private async owner(follow: Follow): Promise<{ owner: OwningCoordinator | null; attempt: string | null; where: string }> {
    const { store, me } = this.o;
    const run = await store.agents.find(follow.agent);
    const ownerId = run ? await store.agents.coordinatorOf(follow.agent) : null;
    if (!run || !isAlive(run) || ownerId === null || ownerId === me) return { owner: null, attempt: null, where: '' };
    const row = await store.core.get(
      store.core.build.selectFrom('coordinators').select(['host', 'folder', 'url', 'output_key']).where('id', '=', ownerId),
    );
    const owner: OwningCoordinator | null =
      row?.url && row.output_key ? { host: row.host, folder: row.folder, url: row.url, outputKey: row.output_key } : null;
    const where = row ? `the coordinator ${row.host}:${row.folder}${row.url ? ` (${row.url})` : ''}` : 'another coordinator';
    return { owner, attempt: owner ? `${owner.url} ${owner.outputKey}` : 'nowhere', where };
  }

  private async connect(follow: Follow): Promise<void> {
    const { owner, attempt, where } = await this.owner(follow);
    if (attempt === null) {
      follow.done = true;
      return;
    }
    if (follow.lostWith === attempt) return;
    if (!owner) {
      this.lost(follow, attempt, `${follow.agent}'s output is on ${where}, which is not running now`);
      return;
    }
    const conn = followPeerOutput(
      owner,
      follow.agent,
      {
        total: (total) => {
          const resumed = follow.lostWith !== null;
          follow.lostWith = null;
          if (total <= follow.total && !resumed) return;
          follow.total = Math.max(total, follow.total);
          this.o.emit({ agent_id: follow.agent, total: follow.total });
        },
        ended: () => {
          follow.conn = null;
          follow.with = null;
          follow.done = true;
        },
        lost: (why) => {
          follow.conn = null;
          follow.with = null;
          this.lost(follow, attempt, `${follow.agent}'s output is on ${where}, which cannot be reached: ${why}`);
        },
      },
      this.o.env,
    );
    follow.conn = conn;
    follow.with = attempt;
  }

  /** Says once that the owner went away; the follow waits for its row to name it again. */
  private lost(follow: Follow, attempt: string, line: string): void {
    const first = follow.lostWith === null;
    follow.lostWith = attempt;
    if (first) this.o.emit({ agent_id: follow.agent, total: follow.total, away: `${line}; it follows on when that coordinator is back` });
  }
}

import pg from 'pg';
import { clientConfig } from './client-config';
import { type CommitKind, commitChannel } from './pg-connection';
import type { PgTarget } from './store-url';

/** Waits between tries to reconnect, growing to the last. */
const RECONNECT_MS = [250, 500, 1_000, 2_000, 5_000] as const;

export interface CommitListener {
  stop(): void;
}

/**
 * Hears every commit to the project at once, whichever process or machine made it: each write
 * announces its revision on the project's channel as it commits (PgConnection), and this listens
 * there on a connection of its own, on the event loop. `heard(rev, kind)` gets the revision announced, and what its
 * commit was: `quiet` when it gave another coordinator nothing to act on (it only claimed tasks and recorded pids, or
 * was a turn that left no task another could start),
 * `settings` when it wrote the team's settings, else `other`; `heard(null)` after a reconnection, when announcements
 * may have been missed meanwhile: the caller then compares the project's revision with the last it knew, and catches
 * up by it.
 */
export function listenForCommits(
  target: PgTarget,
  heard: (rev: number | null, kind: CommitKind) => void,
  warn: (message: string) => void,
): CommitListener {
  let client: pg.Client | null = null;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let lastWarning = '';

  const retry = (why: string) => {
    if (stopped) return;
    const message = `not hearing other processes' commits (${why}); trying again`;
    if (message !== lastWarning) warn(message);
    lastWarning = message;
    const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)] as number;
    failures++;
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
  };

  const connect = async () => {
    if (stopped) return;
    const made = new pg.Client(clientConfig(pg.types, target.connectionString, target.schema, 0, 'wg listener'));
    made.on('notification', (message) => {
      const [revText, word] = (message.payload ?? '').split(' ');
      const rev = Number(revText);
      heard(Number.isSafeInteger(rev) ? rev : null, word === 'quiet' || word === 'settings' ? word : 'other');
    });
    let gone = false;
    const lost = (error: Error | null) => {
      if (gone) return;
      gone = true;
      if (client === made) client = null;
      made.end().catch(() => undefined);
      retry(error ? error.message : 'the connection ended');
    };
    made.on('error', lost);
    made.on('end', () => lost(null));
    try {
      await made.connect();
      await made.query(`LISTEN "${commitChannel(target.schema)}"`);
    } catch (error) {
      lost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (stopped) {
      made.end().catch(() => undefined);
      return;
    }
    // Its socket must not keep a process alive that has nothing else to do.
    (made as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    client = made;
    if (failures > 0) warn("hearing other processes' commits again");
    failures = 0;
    lastWarning = '';
    // Whatever was announced while no one listened is caught up by the revision.
    heard(null, 'other');
  };

  void connect();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const open = client;
      client = null;
      open?.end().catch(() => undefined);
    },
  };
}

/*
 * The coordinators' leases, in PostgreSQL's own words (SQLite projects never run them). Every time is the
 * database server's, in ms: machines whose clocks disagree still agree on whose lease lapsed. Every
 * coordinator of a project is active: its row's role is 'holder' (it holds a lease of its own) until a
 * sweep declares it 'lost'. The table's third role, 'standby', is no longer written.
 */

/** The server's clock, in ms. */
const NOW = 'CAST(extract(epoch FROM now()) * 1000 AS bigint)';

/** `released`: a clean stop's row (its release sets the lease's end before its last renewal, which a lapse never does). */
const MEMBER_COLUMNS = `id, role, epoch, host, folder, pid, url, started_at, since, renewed_at, expires_at - ${NOW} AS expires_in_ms,
  expires_at < renewed_at AS released`;

export const LEASE_SQL = {
  /** The project's next epoch: a counter that only goes up, however many coordinators' rows come and go. */
  nextEpoch: `INSERT INTO meta (key, value) VALUES ('coordinator_epoch', (SELECT coalesce(max(epoch), 0) + 1 FROM coordinators))
    ON CONFLICT (key) DO UPDATE SET value = GREATEST(meta.value + 1, EXCLUDED.value) RETURNING value AS epoch`,
  /**
   * $1 id, $2 host, $3 folder, $4 pid, $5 ttl, $6 epoch, $7 url, $8 output key, $9 capacity: this coordinator's row,
   * active at a fresh epoch, with where the project's other coordinators fetch its runs' output (src/core/peers/).
   */
  join: `INSERT INTO coordinators (id, role, epoch, host, folder, pid, url, output_key, capacity, agent_daemons, started_at, since, renewed_at, expires_at)
    VALUES ($1, 'holder', $6, $2, $3, $4, $7, $8, $9, $10, ${NOW}, ${NOW}, ${NOW}, ${NOW} + $5)
    ON CONFLICT (id) DO UPDATE SET role = 'holder', epoch = $6, host = $2, folder = $3, pid = $4, url = $7, output_key = $8,
      capacity = $9, agent_daemons = $10, started_at = ${NOW}, since = ${NOW}, renewed_at = ${NOW}, expires_at = ${NOW} + $5`,
  /**
   * $1 id, $2 epoch, $3 ttl, $4 capacity, $5 its agent daemons: a renewal, only while its lease is still its own at that
   * epoch; `lapsed` (1 or 0) says whether the lease had run out before it, by the database's clock.
   */
  renew: `UPDATE coordinators c SET renewed_at = ${NOW}, expires_at = ${NOW} + $3, capacity = $4, agent_daemons = $5
    FROM (SELECT expires_at FROM coordinators WHERE id = $1) was
    WHERE c.id = $1 AND c.epoch = $2 AND c.role = 'holder' RETURNING c.id, CASE WHEN was.expires_at < ${NOW} THEN 1 ELSE 0 END AS lapsed`,
  /**
   * The active coordinators' capacities and how long each one's lease still runs (negative: lapsed that long ago):
   * the team's cap is shared by those whose lease has not lapsed (a frozen one's share goes back to the others), and
   * a lapsed one is swept the moment its grace is over.
   */
  holders: `SELECT id, capacity, expires_at - ${NOW} AS expires_in_ms FROM coordinators WHERE role = 'holder'`,
  /**
   * $1 id, $2 grace: other coordinators whose lease lapsed more than the grace ago, locked; one another
   * sweeper holds already is skipped, so sweepers never wait on each other.
   */
  lapsed: `SELECT id FROM coordinators WHERE role = 'holder' AND id <> $1 AND expires_at < ${NOW} - $2 FOR UPDATE SKIP LOCKED`,
  /** $1 ids: declared lost, at the next epoch of their own: every later write of theirs fails its fence. */
  declareLost: `UPDATE coordinators SET role = 'lost', epoch = epoch + 1 WHERE id = ANY($1::text[]) RETURNING id`,
  /** Rows of coordinators lost an hour ago whose runs were all taken over: nothing names them any more. */
  forget: `DELETE FROM coordinators c WHERE c.role <> 'holder' AND c.expires_at < ${NOW} - 3600000
    AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.coordinator_id = c.id AND a.state = 'working')`,
  /**
   * $1 id, $2 epoch: a clean stop ends its lease now; its runs (if left running) are taken over after the grace. Its
   * last renewal is the stop itself, which marks the row as stopped rather than lapsed (MEMBER_COLUMNS' `released`).
   */
  release: `UPDATE coordinators SET expires_at = ${NOW} - 1, renewed_at = ${NOW} WHERE id = $1 AND epoch = $2 AND role = 'holder'`,
  members: `SELECT ${MEMBER_COLUMNS} FROM coordinators ORDER BY role, started_at`,
  /** $1 id, $2 epoch, $3 its agent daemons (JSON): written as one connects or leaves, between renewals. */
  daemons: `UPDATE coordinators SET agent_daemons = $3 WHERE id = $1 AND epoch = $2 AND role = 'holder'`,
  /**
   * $1 id: the agent daemons of the project's other coordinators whose lease holds now (not lapsed, not stopped): a
   * lapsed one's daemons are no one's until they reconnect elsewhere.
   */
  othersDaemons: `SELECT id, host, folder, agent_daemons FROM coordinators
    WHERE role = 'holder' AND id <> $1 AND expires_at > ${NOW} AND expires_at >= renewed_at AND agent_daemons IS NOT NULL
    ORDER BY started_at`,
  /** $1 id, $2 epoch: one when active at that epoch, else a division by zero (the fence: pg-fence.ts). */
  fence: `SELECT 1 / (SELECT count(*) FROM coordinators WHERE id = $1 AND epoch = $2 AND role = 'holder') AS held`,
} as const;

/*
 * The coordinator lease's statements, in PostgreSQL's own words (SQLite projects never run them). Every
 * time is the database server's, in ms: machines whose clocks disagree still agree on who holds.
 */

/** The server's clock, in ms. */
const NOW = 'CAST(extract(epoch FROM now()) * 1000 AS bigint)';

const MEMBER_COLUMNS = `id, role, epoch, host, folder, pid, started_at, since, renewed_at, expires_at - ${NOW} AS expires_in_ms`;

export const LEASE_SQL = {
  /**
   * $1 id, $2 host, $3 folder, $4 pid, $5 ttl, $6 url, $7 output key: this coordinator's row, a standby's unless it
   * holds already, with where other coordinators reach it for its runs' output (src/core/peers/).
   */
  join: `INSERT INTO coordinators (id, role, epoch, host, folder, pid, url, output_key, started_at, since, renewed_at, expires_at)
    VALUES ($1, 'standby', 0, $2, $3, $4, $6, $7, ${NOW}, NULL, ${NOW}, ${NOW} + $5)
    ON CONFLICT (id) DO UPDATE SET host = $2, folder = $3, pid = $4, url = $6, output_key = $7, started_at = ${NOW}, renewed_at = ${NOW},
      expires_at = CASE WHEN coordinators.role = 'holder' THEN coordinators.expires_at ELSE ${NOW} + $5 END,
      role = CASE WHEN coordinators.role = 'holder' THEN 'holder' ELSE 'standby' END`,
  /** Takes the project's write turn: a takeover waits for a write under way, and no write overlaps it. */
  projectLock: 'SELECT rev FROM project WHERE id = 1 FOR UPDATE',
  /** The holder's row, locked, with how long its lease has left. */
  holder: `SELECT id, epoch, expires_at - ${NOW} AS left_ms FROM coordinators WHERE role = 'holder' FOR UPDATE`,
  /** The project's next epoch: a counter that only goes up, however many coordinators' rows come and go. */
  nextEpoch: `INSERT INTO meta (key, value) VALUES ('coordinator_epoch', (SELECT coalesce(max(epoch), 0) + 1 FROM coordinators))
    ON CONFLICT (key) DO UPDATE SET value = GREATEST(meta.value + 1, EXCLUDED.value) RETURNING value AS epoch`,
  /** $1 id: the holder that lapsed, fenced. */
  demote: `UPDATE coordinators SET role = 'lost' WHERE role = 'holder' AND id <> $1`,
  /** $1 id, $2 epoch, $3 pid, $4 ttl. */
  promote: `UPDATE coordinators SET role = 'holder', epoch = $2, pid = $3, since = ${NOW}, renewed_at = ${NOW}, expires_at = ${NOW} + $4
    WHERE id = $1 RETURNING id`,
  /** Rows of coordinators gone for a minute past their last renewal (a standby that died, a holder taken over). */
  sweep: `DELETE FROM coordinators WHERE role <> 'holder' AND expires_at < ${NOW} - 60000`,
  /** $1 id, $2 epoch, $3 ttl. */
  renewHolder: `UPDATE coordinators SET renewed_at = ${NOW}, expires_at = ${NOW} + $3
    WHERE id = $1 AND epoch = $2 AND role = 'holder' RETURNING id`,
  /** $1 id, $2 ttl. */
  renewStandby: `UPDATE coordinators SET renewed_at = ${NOW}, expires_at = ${NOW} + $2 WHERE id = $1 AND role <> 'holder' RETURNING id`,
  /** How long the holder's lease has left (none: no holder). */
  holderLeft: `SELECT expires_at - ${NOW} AS left_ms FROM coordinators WHERE role = 'holder'`,
  /** $1 id, $2 epoch: a holder stepping down ends its lease now, so a standby need not wait for it to lapse. */
  release: `UPDATE coordinators SET role = 'standby', expires_at = ${NOW} - 1 WHERE id = $1 AND epoch = $2 AND role = 'holder'`,
  /** $1 id: a standby leaving. */
  leave: `DELETE FROM coordinators WHERE id = $1 AND role <> 'holder'`,
  members: `SELECT ${MEMBER_COLUMNS} FROM coordinators WHERE role IN ('holder', 'standby') AND (role = 'holder' OR expires_at > ${NOW})
    ORDER BY role, started_at`,
  /** $1 id, $2 epoch: one when held at that epoch, else a division by zero (the fence: pg-fence.ts). */
  fence: `SELECT 1 / (SELECT count(*) FROM coordinators WHERE id = $1 AND epoch = $2 AND role = 'holder') AS held`,
} as const;

import { coordinatorPidOf } from '../../helpers/team-folders';
import { until } from '../../helpers/until';
import type { TempProject } from '../../helpers/wg-cli';

/**
 * The frozen-* tests' way of making a coordinator's freeze fall between a claim's commit and what it starts: a
 * deferred trigger makes the commit of the runs `when` picks (a condition on the new `agents` row, NEW) wait 3 s on
 * the server; the test freezes the coordinator while that commit waits (heldCommitWaiting), and it completes while the
 * coordinator is frozen.
 *
 * The server is shared with other test files, some of which hold commits of their own at the same time: the waiting
 * commit names itself (its application_name, for the rest of its transaction: the hold's name and the schema) so that a
 * test sees its own hold and not another file's.
 */
export function holdCommits(sql: (text: string) => string, name: string, when: string): void {
  sql(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF ${when} THEN
      PERFORM set_config('application_name', ${holdLabel(name)}, true);
      PERFORM pg_sleep(3);
    END IF; RETURN NULL; END $$;
    CREATE CONSTRAINT TRIGGER ${name} AFTER INSERT ON agents DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ${name}();`);
}

/** The application_name a commit held by `name` shows while it waits (as SQL: the schema is the session's own). */
function holdLabel(name: string): string {
  return `left('held ${name} ' || current_schema(), 63)`;
}

/** Resolves once a commit held by `name` (holdCommits) waits on the server: the moment to freeze its coordinator. */
export async function heldCommitWaiting(sql: (text: string) => string, name: string, what: string): Promise<void> {
  const waiting = `SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND application_name = ${holdLabel(name)}`;
  await until(what, () => sql(waiting) === '1', 30_000, 20);
}

/** Wakes every coordinator a test may have left frozen (SIGCONT), so that its folder's removal can stop it. */
export function wakeCoordinators(folders: readonly TempProject[]): void {
  for (const p of folders) {
    try {
      process.kill(coordinatorPidOf(p), 'SIGCONT');
    } catch {
      // Not running.
    }
  }
}

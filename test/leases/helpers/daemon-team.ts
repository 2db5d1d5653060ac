import { afterAll, beforeAll } from 'vitest';
import { killMarked } from '../../agentd/helpers/agentd-process';
import { type PgServer, startPostgresServer } from '../../helpers/postgres-server';
import { removeTeamFolders, teamFolders } from '../../helpers/team-folders';
import type { TempProject } from '../../helpers/wg-cli';

/** A team of this file's tests: its PostgreSQL server, its folders (a and b, more may be pushed) and SQL in its schema. */
export interface DaemonTeam {
  readonly server: PgServer;
  readonly folders: TempProject[];
  /** Runs SQL in the team's schema on its server, its output trimmed. */
  sql(text: string): string;
}

/**
 * A team's graph on a PostgreSQL server of the file's own, in `schema`, with folders a and b, for a file whose agent
 * daemons connect to its coordinators: made before the file's tests, and after them every marked daemon killed, the
 * coordinators stopped with their runs, the folders removed and the server stopped.
 */
export function daemonTeam(schema: string, prefix: string): DaemonTeam {
  let server: PgServer | undefined;
  const folders: TempProject[] = [];
  beforeAll(async () => {
    server = startPostgresServer();
    folders.push(...(await teamFolders(server.url({ schema }), prefix)));
  }, 120_000);
  afterAll(async () => {
    killMarked();
    await removeTeamFolders(folders);
    server?.stop();
  }, 120_000);
  const started = () => {
    if (!server) throw new Error('the team is made before the tests run');
    return server;
  };
  return {
    get server() {
      return started();
    },
    folders,
    sql: (text) => started().psql(`SET search_path = ${schema}; ${text}`).trim(),
  };
}

import childProcess from 'node:child_process';

/**
 * The one start a unit test may make (test/setup/no-processes.ts keeps the real functions here): the
 * PostgreSQL server the store's own tests run against besides SQLite (test/helpers/postgres-server.ts),
 * a fixture like a temporary folder, started once per test process. Elsewhere (integration, benches)
 * nothing is replaced and these are node's own.
 */
export const KEPT_CHILD_PROCESS = Symbol.for('workgraph.test.realChildProcess');

type Kept = Pick<typeof childProcess, 'spawn' | 'spawnSync'>;

export function realChildProcess(): Kept {
  return (globalThis as typeof globalThis & { [KEPT_CHILD_PROCESS]?: Kept })[KEPT_CHILD_PROCESS] ?? childProcess;
}

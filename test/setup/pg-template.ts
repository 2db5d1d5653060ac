import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { giveToServerUser } from '../helpers/postgres-server';

/**
 * The folder where this test run keeps the data folder initdb makes, copied for each PostgreSQL server a test
 * starts (test/helpers/postgres-server.ts): made before the first worker starts (workers inherit the environment)
 * and removed when the run ends. The projects that start servers each name this setup; the first makes the folder.
 */
export default function setup(): (() => void) | undefined {
  if (process.env.WG_TEST_PG_TEMPLATE) return undefined;
  const folder = mkdtempSync(join(tmpdir(), 'wg-pg-template-'));
  giveToServerUser(folder);
  process.env.WG_TEST_PG_TEMPLATE = folder;
  return () => {
    rmSync(folder, { recursive: true, force: true });
    delete process.env.WG_TEST_PG_TEMPLATE;
  };
}

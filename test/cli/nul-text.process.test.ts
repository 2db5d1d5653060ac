import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { TempProject } from '../helpers/wg-cli';

/*
 * A NUL character (a zero byte) in text: PostgreSQL cannot store it, SQLite can. It is refused at input on both stores
 * alike, in one line naming where it is; an SQLite project holding one from before is not copied to PostgreSQL, and
 * the copy leaves nothing there: PostgreSQL's own refusal of it never reaches a person.
 */

let server: PgServer;
const projects: TempProject[] = [];
let schemas = 0;

beforeAll(() => {
  server = startPostgresServer();
});
afterAll(() => {
  for (const p of projects) p.remove();
  server.stop();
});

const freshSchema = () => `nul_${process.pid}_${++schemas}`;

async function project(kind: 'sqlite' | 'postgres'): Promise<TempProject> {
  const p = new TempProject('wg-nul-');
  projects.push(p);
  await p.ok(kind === 'sqlite' ? ['init'] : ['init', '--store', server.url({ schema: freshSchema() })]);
  return p;
}

/** An SQLite project whose task 'probe' holds `value` in `column`, written past wg as a project from before the refusal. */
async function sqliteProjectHolding(column: 'description' | 'extra', value: string): Promise<TempProject> {
  const p = await project('sqlite');
  await p.ok(['add', 'Probe', '--id', 'probe']);
  const db = new Database(join(p.root, '.workgraph', 'graph.db'));
  db.prepare(`UPDATE tasks SET ${column} = ? WHERE id = 'probe'`).run(value);
  db.close();
  return p;
}

const HELD = 'holds a NUL character (a zero byte), which wg does not store in any text; remove it';

describe.each(['sqlite', 'postgres'] as const)('a NUL character given on %s', (kind) => {
  it('in a message from --stdin is refused in one line naming the field, and nothing is sent', async () => {
    const p = await project(kind);
    await p.ok(['add', 'API', '--id', 'api']);
    const sent = await p.wgProcess(['msg', 'send', 'api', '--stdin'], { input: 'see\0this' });
    expect(sent).toMatchObject({ exitCode: 1, stdout: '', stderr: `wg: field 'message' ${HELD}` });
    expect(await p.ok(['msg', 'list', 'api'])).not.toContain('see');
    await p.ok(['msg', 'send', 'api', 'see this']);
    expect(await p.ok(['msg', 'list', 'api'])).toContain('see this');
  }, 60_000);

  it('as \\u0000 in a wg import line, in a field wg knows or one it keeps as it is, is refused naming the line and the field', async () => {
    const p = await project(kind);
    const file = join(p.root, 'in.jsonl');
    writeFileSync(file, '{"id":"a","title":"A"}\n{"id":"b","title":"B","description":"see\\u0000this"}\n');
    expect(await p.wg(['import', file])).toMatchObject({ exitCode: 1, stderr: `wg: line 2: field 'description' ${HELD}` });
    writeFileSync(file, '{"id":"a","title":"A","custom":{"note":"see\\u0000this"}}\n');
    expect(await p.wg(['import', file])).toMatchObject({ exitCode: 1, stderr: `wg: line 1: field 'custom.note' ${HELD}` });
    // Nothing of either file was written.
    expect(await p.ok(['list'])).not.toMatch(/\bA\b/);
  }, 60_000);
});

describe('an SQLite project holding a NUL from before, copied to PostgreSQL', () => {
  it('is refused naming the task and field, and nothing is made in the target', async () => {
    const p = await sqliteProjectHolding('description', 'see\0this');
    const schema = freshSchema();
    const copy = await p.wg(['store', 'copy', '--to', server.url({ schema }), '--switch']);
    expect(copy.exitCode).toBe(1);
    expect(copy.stderr).toMatch(
      /^wg: cannot copy to .*: the description of task 'probe' holds a NUL character \(a zero byte\), which PostgreSQL cannot store; remove it and copy again \(nothing was made there\)$/,
    );
    expect(copy.stderr).not.toContain('PostgreSQL refused');
    expect(server.psql(`SELECT count(*) FROM information_schema.schemata WHERE schema_name = '${schema}'`)).toBe('0\n');
    // Still on SQLite, and whole once the text is mended.
    await p.ok(['edit', 'probe', '--description', 'see this']);
    expect(await p.ok(['store', 'copy', '--to', server.url({ schema }), '--switch'])).toBeTruthy();
  }, 60_000);

  it('is refused for \\u0000 in JSON a task keeps (which PostgreSQL reads as jsonb) too', async () => {
    const p = await sqliteProjectHolding('extra', '{"note":"see\\u0000this"}');
    const schema = freshSchema();
    const copy = await p.wg(['store', 'copy', '--to', server.url({ schema })]);
    expect(copy).toMatchObject({ exitCode: 1 });
    expect(copy.stderr).toContain("the extra of task 'probe' holds a NUL character");
    expect(server.psql(`SELECT count(*) FROM information_schema.schemata WHERE schema_name = '${schema}'`)).toBe('0\n');
  }, 60_000);
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { TempProject } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * A team's graph on a real PostgreSQL server that asks its login for a password (scram-sha-256), the password only in
 * the coordinator's environment (PGPASSWORD), as docs/team.md has it. A run's environment holds no way into the
 * database; its `wg` reaches the graph through its coordinator's API with its run credential, and a shell task that
 * drops its WG_* variables reaches nothing. A person's read on the coordinator's machine goes through the coordinator
 * too: no connection of its own to the database.
 */

const ROLE = 'wg_team_creds';
const PASSWORD = 'team-password-3f9c1a';

let server: PgServer;
const projects: TempProject[] = [];
let schemas = 0;

beforeAll(() => {
  server = startPostgresServer(['fsync=off', 'log_connections=on']);
  server.psql(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'; GRANT CREATE ON DATABASE postgres TO ${ROLE}`);
  // The role logs in with its password, even on the socket (the superuser the helper uses stays trusted): the first
  // line that matches a login is the one that counts.
  const hba = join(server.dataDir, 'pg_hba.conf');
  writeFileSync(hba, `local all ${ROLE} scram-sha-256\n${readFileSync(hba, 'utf8')}`);
  server.psql('SELECT pg_reload_conf()');
});
afterAll(async () => {
  for (const p of projects) {
    await p.wgProcess(['service', 'stop', '--kill-agents'], { env: coordinatorEnv(p) });
    p.remove();
  }
  server.stop();
});

const storeUrl = () => `postgresql://${ROLE}@localhost/postgres?host=${encodeURIComponent(server.socketDir)}&schema=creds_${++schemas}`;

/** What the coordinator is started with: the password, libpq's other variables, and the store's URL under another name. */
function coordinatorEnv(p: TempProject, url = ''): Record<string, string> {
  return {
    PGPASSWORD: PASSWORD,
    PGCONNECT_TIMEOUT: '10',
    PGAPPNAME: 'workgraph-test',
    PGSSLMODE: 'disable',
    DATABASE_URL: url,
    TEAM_DB_PASSWORD: PASSWORD,
    // No ~/.pgpass of the machine's user is read by anyone here.
    HOME: join(p.root, '.user-home'),
  };
}

async function teamProject(): Promise<{ p: TempProject; url: string; env: Record<string, string> }> {
  const p = new TempProject('wg-team-creds-');
  projects.push(p);
  mkdirSync(join(p.root, '.user-home'));
  execFileSync('git', ['init', '-q'], { cwd: p.root });
  const url = storeUrl();
  const env = coordinatorEnv(p, url);
  const made = await p.wg(['init', '--store', url], { env });
  expect(made.exitCode, made.stderr).toBe(0);
  const config = join(p.root, '.workgraph/config.toml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}\n[coordinator]\nexecutor = "shell"\n`);
  return { p, url, env };
}

/** `wg ARGS` as a person with the password (the store is opened here), failing the test on a nonzero exit. */
async function ok(p: TempProject, env: Record<string, string>, args: string[]): Promise<void> {
  const result = await p.wg(args, { env });
  expect(result.exitCode, `wg ${args.join(' ')}: ${result.stderr}`).toBe(0);
}

async function startCoordinator(p: TempProject, env: Record<string, string>): Promise<void> {
  const started = await p.wgProcess(['service', 'start'], { env });
  expect(started.exitCode, started.stderr).toBe(0);
}

async function doneTask(p: TempProject, env: Record<string, string>, id: string): Promise<Task> {
  return until(`task ${id} to end`, async () => {
    const shown = await p.wg(['show', id, '--json'], { env });
    const task = JSON.parse(shown.stdout) as Task;
    return task.status === 'done' || task.status === 'failed' ? task : null;
  });
}

describe("a run on a team's graph", () => {
  it("gets no PG* variable, nor the store's URL or password under another name; its `wg` reaches the graph through its coordinator", async () => {
    const { p, url, env } = await teamProject();
    const out = join(p.root, 'out');
    mkdirSync(out);
    const script = [
      `env > ${out}/env`,
      `wg log "$WG_TASK_ID" "said by the run" 2> ${out}/log.err`,
      `wg show "$WG_TASK_ID" --json > ${out}/show.json 2> ${out}/show.err`,
      // A read a run sent away may not make (the list of runs), and a change with a warning.
      `wg agents --json > ${out}/agents.json 2> ${out}/agents.err`,
      `wg add "Follow up" --id follow-up --executor manual --provider anthropic > ${out}/add.out 2> ${out}/add.err`,
      // What a run may not do is refused as a local run's `wg` refuses it.
      `wg abandon "$WG_TASK_ID" 2> ${out}/abandon.err; echo $? > ${out}/abandon.code`,
      `wg done "$WG_TASK_ID" 2> ${out}/done.err`,
      'sleep 60',
    ].join('; ');
    await ok(p, env, ['add', 'Report', '--id', 'report', '--exec', script]);
    await startCoordinator(p, env);
    // The run is still asleep: the task is done by the run's own `wg done`, not by its exit.
    const task = await doneTask(p, env, 'report');
    expect(task.status).toBe('done');
    const runEnv = readFileSync(join(out, 'env'), 'utf8').split('\n');
    expect(runEnv.filter((line) => line.startsWith('PG'))).toEqual([]);
    expect(runEnv.filter((line) => line.includes(PASSWORD) || line.includes(url) || line.includes(server.socketDir))).toEqual([]);
    expect(runEnv.some((line) => line.startsWith('WG_API_TOKEN=wgr_'))).toBe(true);
    for (const err of ['log.err', 'show.err', 'agents.err', 'done.err']) expect(readFileSync(join(out, err), 'utf8'), err).toBe('');
    // As a local run's `wg` did when it opened the store itself: its warning on stderr, the follow-up after its task.
    expect(readFileSync(join(out, 'add.err'), 'utf8')).toBe(
      'wg: --provider is deprecated: give the provider in --model instead (--model provider:MODEL)\n',
    );
    expect(readFileSync(join(out, 'add.out'), 'utf8')).toContain('follow-up');
    const followUp = JSON.parse((await p.wg(['show', 'follow-up', '--json'], { env })).stdout) as { after: Array<{ id: string }> };
    expect(followUp.after.map((dep) => dep.id)).toEqual(['report']);
    expect([readFileSync(join(out, 'abandon.code'), 'utf8'), readFileSync(join(out, 'abandon.err'), 'utf8')]).toEqual([
      '1\n',
      "wg: an agent's run may only report on its own task and add follow-ups after it, not 'abandon'; a person can run it outside the agent's environment\n",
    ]);
    const agents = JSON.parse(readFileSync(join(out, 'agents.json'), 'utf8')) as Array<{ task_id: string }>;
    expect(agents.map((a) => a.task_id)).toContain('report');
    // Its entries are its own, and its `--json` is what a person reads there.
    const runId = runEnv.find((line) => line.startsWith('WG_AGENT_ID='))?.slice('WG_AGENT_ID='.length);
    expect(task.log.find((entry) => entry.message === 'said by the run')?.actor).toBe(runId);
    const seen = JSON.parse(readFileSync(join(out, 'show.json'), 'utf8')) as Task;
    expect(seen.id).toBe('report');
    expect(seen.log.map((entry) => entry.message)).toContain('said by the run');
  }, 120_000);

  it('cannot open the store once it drops its WG_* variables: `wg token create` fails in one line, and no token is made', async () => {
    const { p, env } = await teamProject();
    const out = join(p.root, 'out');
    mkdirSync(out);
    const script = `unset WG_API_URL WG_API_TOKEN WG_RUN_ID; wg token create intruder --admin > ${out}/stdout 2> ${out}/stderr; echo $? > ${out}/code`;
    await ok(p, env, ['add', 'Intrude', '--id', 'intrude', '--exec', script]);
    await startCoordinator(p, env);
    await doneTask(p, env, 'intrude');
    expect(readFileSync(join(out, 'code'), 'utf8').trim()).toBe('1');
    expect(readFileSync(join(out, 'stdout'), 'utf8')).toBe('');
    expect(readFileSync(join(out, 'stderr'), 'utf8')).toMatch(
      /^wg: the PostgreSQL server of postgresql:\/\/\S+ asks for a password: set PGPASSWORD or add it to ~\/\.pgpass\n$/,
    );
    const tokens = await p.wg(['token', 'list', '--json'], { env });
    expect(tokens.exitCode, tokens.stderr).toBe(0);
    expect(tokens.stdout).not.toContain('intruder');
  }, 120_000);
});

describe("a run's `wg` while its coordinator restarts", () => {
  it('tries again, says so once, and is heard once the coordinator is back', async () => {
    const { p, env } = await teamProject();
    const out = join(p.root, 'out');
    mkdirSync(out);
    const script = [
      `touch ${out}/started`,
      `while [ ! -e ${out}/go ]; do sleep 0.1; done`,
      `wg log "$WG_TASK_ID" "after the restart" 2> ${out}/log.err`,
      `echo $? > ${out}/code`,
      'sleep 60',
    ].join('; ');
    await ok(p, env, ['add', 'Outlive', '--id', 'outlive', '--exec', script]);
    await startCoordinator(p, env);
    await until('the run to start', () => existsSync(join(out, 'started')));
    // Its runs go on without it.
    const stopped = await p.wgProcess(['service', 'stop'], { env });
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    writeFileSync(join(out, 'go'), '');
    const said = () => (existsSync(join(out, 'log.err')) ? readFileSync(join(out, 'log.err'), 'utf8') : '');
    await until('the run to say it tries again', () => said().includes('\n'), 30_000);
    await startCoordinator(p, env);
    await until("the run's wg to end", () => existsSync(join(out, 'code')), 60_000);
    expect(readFileSync(join(out, 'code'), 'utf8').trim()).toBe('0');
    expect(readFileSync(join(out, 'log.err'), 'utf8')).toBe(
      "wg: this project's coordinator does not answer (nothing listens there); trying again for up to 60 s\n",
    );
    const task = JSON.parse((await p.wg(['show', 'outlive', '--json'], { env })).stdout) as Task;
    expect(task.log.filter((entry) => entry.message === 'after the restart')).toHaveLength(1);
  }, 180_000);
});

describe("a person's `wg` on the coordinator's machine", () => {
  it('reads through the running coordinator, with no connection of its own to the database; with none running, it opens the store', async () => {
    const { p, url, env } = await teamProject();
    await ok(p, env, ['add', 'Read me', '--id', 'read-me', '--executor', 'manual']);
    await ok(p, env, ['log', 'read-me', 'a line to read']);
    const log = join(server.socketDir, 'server.log');
    const connections = () => (readFileSync(log, 'utf8').match(new RegExp(`connection authorized: user=${ROLE}`, 'g')) ?? []).length;
    await startCoordinator(p, env);
    await until('the coordinator to settle', async () => (await p.wgProcess(['service', 'status'], { env })).stdout.includes('running'));
    const before = connections();
    const shown = [];
    for (let i = 0; i < 3; i++) shown.push(await p.wgProcess(['show', 'read-me', '--json'], { env }));
    // Its log would have three more logins by now: each `wg` of its own logs in once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(connections() - before).toBe(0);
    // Each read prints what the store opened by `wg` itself prints (WG_STORE_URL: the same store, opened here).
    for (const args of [['show', 'read-me'], ['list'], ['ready', '--json'], ['viz'], ['show', 'missing']]) {
      const [through, opened] = [await p.wgProcess(args, { env }), await p.wgProcess(args, { env: { ...env, WG_STORE_URL: url } })];
      expect([through.exitCode, through.stdout, through.stderr], args.join(' ')).toEqual([opened.exitCode, opened.stdout, opened.stderr]);
    }
    // Stopped, a person's read opens the store as before, and reads the same.
    await p.wgProcess(['service', 'stop'], { env });
    const counted = connections();
    const direct = await p.wgProcess(['show', 'read-me', '--json'], { env });
    expect(direct.exitCode, direct.stderr).toBe(0);
    await until('the server to log its login', () => connections() > counted, 5_000);
    for (const result of shown) expect([result.exitCode, result.stderr, result.stdout]).toEqual([0, '', direct.stdout]);
  }, 120_000);
});

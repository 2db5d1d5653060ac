import { selfSignedCertificate } from '../helpers/self-signed-cert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PATH } from '../../src/shared/api-contract';
import type { Message } from '../../src/shared/message';
import type { ServiceStatus } from '../../src/shared/service-types';
import type { Task } from '../../src/shared/task';
import { DaemonProject, waitFor, type CliResult } from './helpers/daemon-project';
import { wgInProcess } from '../helpers/wg-cli';

/**
 * A person's `wg` on another machine: a real coordinator with its API on TLS (a self-signed certificate
 * made here with openssl), a person's token made with `wg token create NAME --person`, and `wg` with
 * WG_SERVER, WG_TOKEN and WG_CA_CERT run in a folder with no project. Each command's output and exit
 * code are compared with the same command run locally on a project of the same history.
 */
const local = new DaemonProject('wg-person-local-');
const shared = new DaemonProject('wg-person-shared-');
/** The person's machine: no project here, their own home. */
const elsewhere = mkdtempSync(join(tmpdir(), 'wg-person-elsewhere-'));
let base = '';
let cert = '';
let key = '';
let master = '';
let alice = '';
/** Everything any `wg` of a person printed: the coordinator's own token must be in none of it. */
const seenByPeople: string[] = [];

/** `wg ARGS` as the person runs it: in a folder with no project, sent to the coordinator with their token. */
async function remote(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const out = await wgInProcess(args, {
    cwd: elsewhere,
    env: { WG_HOME: join(elsewhere, '.home'), WG_DIR: '', WG_AGENT_ID: '', WG_SERVER: base, WG_TOKEN: alice, WG_CA_CERT: cert, ...env },
  });
  seenByPeople.push(out.stdout, out.stderr);
  return out;
}

/** A person's token, as `wg token create` printed it (its second line), made on the coordinator's machine. */
async function personToken(name: string, flag: '--person' | '--admin'): Promise<string> {
  const printed = await shared.ok(['token', 'create', name, flag]);
  return printed.split('\n')[1] ?? '';
}

/**
 * What differs between two projects of the same history: when, who (the person there, `user` here), and
 * the revision counter (the shared one also counts its pause, its tokens and their use).
 */
function comparable(result: CliResult): CliResult {
  const same = (text: string) =>
    text
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/\balice\b/g, 'user')
      .replace(/"rev": \d+/g, '"rev": <rev>');
  return { stdout: same(result.stdout), stderr: same(result.stderr), exitCode: result.exitCode };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  await local.init();
  await shared.init();
  ({ cert, key } = selfSignedCertificate(shared.root));
  const started = await shared.start(['--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key]);
  base = new URL(started.url ?? '').origin;
  expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  master = readFileSync(shared.paths.tokenFile, 'utf8').trim();
  // Nothing is run here: the commands, not agents, are what is compared.
  await shared.ok(['service', 'pause']);
  alice = await personToken('alice', '--person');
});

afterAll(async () => {
  await shared.remove();
  await local.remove();
  rmSync(elsewhere, { recursive: true, force: true });
});

describe("a person's wg with WG_SERVER", () => {
  it('prints what the same commands print locally, and exits alike, bad input and missing tasks included', async () => {
    const commands: string[][] = [
      ['add', 'Design the schema', '--id', 'schema'],
      ['add', 'Build the API', '--id', 'api', '--after', 'schema'],
      ['add', 'Write the docs', '--id', 'docs', '--after', 'api'],
      ['list'],
      ['edit', 'api', '--title', 'Build the HTTP API'],
      // A warning, no change: printed on the person's stderr as locally (it was lost, and logged as the coordinator's error).
      ['edit', 'api'],
      ['rm-dep', 'api', 'docs'],
      ['msg', 'send', 'api', 'Use JSON, please'],
      ['done', 'schema'],
      ['show', 'api'],
      ['viz'],
      ['list', '--json'],
      ['msg', 'list', 'api'],
      ['show', 'nope'],
      ['edit', 'nope', '--title', 'Nothing'],
      ['done', 'nope'],
      ['msg', 'send', 'nope', 'hello'],
      ['add', 'Again', '--id', 'schema'],
      ['add', 'Bad id', '--id', 'no spaces allowed'],
      ['edit', 'api', '--add-after', 'docs'],
      ['add', 'Unknown first', '--after', 'nothing-yet'],
      ['done', 'docs'],
      ['list'],
    ];
    const exits: number[] = [];
    for (const args of commands) {
      const here = await local.wg(args);
      const there = await remote(args);
      expect(comparable(there), `wg ${args.join(' ')}`).toEqual(comparable(here));
      exits.push(there.exitCode);
    }
    // The comparison covered refusals too: not found (3) and bad input (1), each one line.
    expect(exits).toContain(3);
    expect(exits).toContain(1);
    const refusal = await remote(['show', 'nope']);
    expect(refusal).toMatchObject({ stdout: '', stderr: "wg: task 'nope' not found", exitCode: 3 });
    expect(await remote(['edit', 'api', '--remove-after', 'nope'])).toMatchObject({
      stdout: "Not blocked by: nope\nNo changes made to task 'api'",
      stderr: '',
      exitCode: 0,
    });
    // A person's warning is theirs, not one of the coordinator's errors (`wg service status` shows those to everyone).
    const status = await shared.json<ServiceStatus>(['service', 'status']);
    expect(status.recent_errors.map((e) => e.message).join('\n')).not.toMatch(/Not blocked by|No changes made|no change/);
  });

  it("logs what a person does with their name: the task's log, the messages they send", async () => {
    const api = JSON.parse((await remote(['show', 'api', '--json'])).stdout) as Task;
    expect(api.log.map((entry) => entry.actor)).toEqual(api.log.map(() => 'alice'));
    expect((await shared.json<Task>(['show', 'schema'])).log.at(-1)?.actor).toBe('alice');
    const messages = await shared.json<Message[]>(['msg', 'list', 'api']);
    expect(messages.map((m) => m.sender)).toEqual(['alice']);
  });

  it("the window's Connect takes a person's token too, and acts as that person", async () => {
    const fixture = join(import.meta.dirname, '..', 'connecting', 'fixtures', 'connect-as-person.ts');
    const child = await execa(process.execPath, ['--import', 'tsx', fixture, base, alice, 'from-window'], {
      env: { NODE_EXTRA_CA_CERTS: cert },
      reject: false,
    });
    const seen = JSON.parse(child.stdout) as { url: string; actors: string[] };
    seenByPeople.push(child.stdout, child.stderr);
    expect(seen).toEqual({ url: `${base}/`, actors: ['alice'] });
    expect((await shared.task('from-window')).log.map((entry) => entry.actor)).toEqual(['alice']);
  });

  it("a person's token cannot manage tokens or change the settings, nor stop the coordinator; an admin's can", async () => {
    const refused = (what: string, command: string) => ({
      stdout: '',
      stderr: `wg: alice's token may not ${what} ('${command}'); a token made with wg token create NAME --admin may`,
      exitCode: 1,
    });
    expect(await remote(['token', 'create', 'mallory', '--person'])).toEqual(refused('manage tokens', 'token create'));
    expect(await remote(['token', 'revoke', 'alice'])).toEqual(refused('manage tokens', 'token revoke'));
    expect(await remote(['config', '--max-agents', '9'])).toEqual(refused("change the coordinator's settings", 'config'));
    expect(await remote(['service', 'reload', '--max-agents', '9'])).toEqual(
      refused("change the coordinator's settings", 'service reload'),
    );
    // Reading the settings is every person's.
    expect((await remote(['config', '--list'])).exitCode).toBe(0);
    expect(await shutdownAs(alice)).toEqual({ status: 403, error: "alice's token cannot stop the coordinator; an admin's can" });
    expect((await shared.json<Array<{ name: string }>>(['token', 'list'])).map((t) => t.name)).toEqual(['alice']);
    expect((await shared.json<ServiceStatus>(['service', 'status'])).max_agents).toBe(4);

    const boss = await personToken('boss', '--admin');
    const made = await remote(['token', 'create', 'carol', '--person'], { WG_TOKEN: boss });
    expect(made.exitCode).toBe(0);
    const carol = made.stdout.split('\n')[1] ?? '';
    expect(carol).toMatch(/^wgp_/);
    expect((await remote(['list'], { WG_TOKEN: carol })).exitCode).toBe(0);
    expect((await remote(['config', '--max-agents', '3'], { WG_TOKEN: boss })).exitCode).toBe(0);
    expect((await shared.json<ServiceStatus>(['service', 'status'])).max_agents).toBe(3);

    // An agent daemon's token opens only the agent socket.
    const agentToken = (await shared.ok(['token', 'create', 'laptop'])).split('\n')[1] ?? '';
    expect(await remote(['list'], { WG_TOKEN: agentToken })).toEqual({
      stdout: '',
      stderr: `wg: the coordinator at ${base} refused the token: 'laptop' is an agent daemon's token; a person needs one made with wg token create NAME --person`,
      exitCode: 1,
    });
  });

  it("wg func names no file on the coordinator's machine: not a file_content input, not a function name", async () => {
    const funcs = join(shared.paths.dir, 'functions');
    mkdirSync(funcs, { recursive: true });
    writeFileSync(
      join(funcs, 'leak.yaml'),
      [
        'kind: trace-function',
        'version: 1',
        'id: leak',
        'name: Leak',
        'description: d',
        'inputs:',
        '- name: secret',
        '  type: file_content',
        '  description: a file',
        'tasks:',
        '- template_id: build',
        '  title: Build',
        "  description: 'secret: {{input.secret}}'",
        '',
      ].join('\n'),
    );
    const secret = join(shared.root, 'srv-secret.txt');
    writeFileSync(secret, 'TOP SECRET', { mode: 0o600 });
    const line = "a file path names a file on the coordinator's machine; from another machine give its contents";
    expect(await remote(['func', 'apply', 'leak', '--input', `secret=${secret}`, '--prefix', 'leak'])).toEqual({
      stdout: '',
      stderr: `wg: input 'secret': ${line}`,
      exitCode: 1,
    });
    expect((await shared.tasks()).some((t) => t.id.startsWith('leak'))).toBe(false);
    const target = join(elsewhere, 'alice-wrote');
    const extract = await remote(['func', 'extract', 'schema', '--name', `../../../..${target}`]);
    expect(extract).toMatchObject({ stdout: '', exitCode: 1 });
    expect(extract.stderr).toMatch(/^wg: [^\n]*is not a function name: a function name is a plain file name/);
    expect(existsSync(`${target}.yaml`)).toBe(false);
  });

  it('a token is printed once: only its hash and last four characters are kept', async () => {
    const listed = await shared.ok(['token', 'list']);
    expect(listed).toMatch(new RegExp(`^alice +…${alice.slice(-4)} +person +last used `, 'm'));
    expect(listed).not.toContain(alice);
    await shared.ok(['check']);
    for (const file of [shared.paths.db, `${shared.paths.db}-wal`]) {
      const bytes = (() => {
        try {
          return readFileSync(file);
        } catch {
          return Buffer.alloc(0);
        }
      })();
      expect(bytes.includes(alice), file).toBe(false);
    }
  });

  it('several addresses: one that cannot be reached is passed over; a change sent to one that went away is not sent again', async () => {
    const closed = await closedPort();
    expect(await remote(['list'], { WG_SERVER: `https://127.0.0.1:${closed}, ${base}` })).toEqual(await remote(['list']));
    expect(await remote(['list'], { WG_SERVER: `https://127.0.0.1:${closed}` })).toEqual({
      stdout: '',
      stderr: `wg: could not reach the coordinator at https://127.0.0.1:${closed}: connection refused`,
      exitCode: 1,
    });
    // A coordinator that takes the request and drops it: it may have made the change, so no other gets it.
    const dropper: TlsServer = createTlsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (socket) => {
      socket.on('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    try {
      const both = `https://127.0.0.1:${(dropper.address() as AddressInfo).port},${base}`;
      const add = await remote(['add', 'Twice?', '--id', 'twice'], { WG_SERVER: both });
      expect(add.exitCode).toBe(1);
      expect(add.stderr).toMatch(
        /^wg: the coordinator at https:\/\/127\.0\.0\.1:\d+ went away before answering \(.+\); 'wg add' may or may not have been done there$/,
      );
      expect((await shared.tasks()).map((t) => t.id)).not.toContain('twice');
      // A read is asked of the next one.
      expect((await remote(['list'], { WG_SERVER: both })).exitCode).toBe(0);
    } finally {
      dropper.close();
    }
    // http:// to a coordinator that listens with TLS: it resets the request, and that was all that was said (review item 7).
    const plain = base.replace('https://', 'http://');
    expect(await remote(['list'], { WG_SERVER: plain })).toEqual({
      stdout: '',
      stderr: `wg: could not reach the coordinator at ${plain}: the connection was reset: if it listens with TLS, its address is ${base}`,
      exitCode: 1,
    });
    expect(await remote(['list'], { WG_CA_CERT: '' })).toEqual({
      stdout: '',
      stderr: `wg: could not reach the coordinator at ${base}: its certificate is not one this computer trusts (set WG_CA_CERT to its certificate file)`,
      exitCode: 1,
    });
  });

  it("commands that are no operation say they work on the coordinator's machine, and change nothing", async () => {
    const refusal = (what: string) => ({
      stdout: '',
      stderr: `wg: cannot ${what} through WG_SERVER (${base}); that is done on the coordinator's own machine (or here, without WG_SERVER)`,
      exitCode: 1,
    });
    expect(await remote(['init'])).toEqual(refusal('make a project'));
    expect(await remote(['service', 'start'])).toEqual(refusal('start the coordinator'));
    expect(await remote(['service', 'stop'])).toEqual(refusal('stop the coordinator'));
    // An agent daemon runs on another machine, and names its coordinator itself.
    expect(await remote(['agentd', 'run', '--url', base, '--repo-paths', elsewhere])).toEqual({
      ...refusal('run an agent daemon'),
      stderr: `wg: cannot run an agent daemon through WG_SERVER (${base}); that is done with WG_COORDINATOR_URL and WG_AGENT_TOKEN (an agent token: wg token create NAME), without WG_SERVER)`,
    });
    expect(await remote(['check', '--db'])).toEqual(refusal("check the project's graph.db"));
    expect(await remote(['list', '--dir', shared.root])).toEqual({
      stdout: '',
      stderr: 'wg: --dir names a project on this machine and WG_SERVER a coordinator elsewhere: use one',
      exitCode: 1,
    });
    expect(await remote(['list', '--token', alice], { WG_SERVER: '' })).toEqual({
      stdout: '',
      stderr: 'wg: --token is sent to a coordinator elsewhere: give it with --server (or WG_SERVER)',
      exitCode: 1,
    });
    // `service status` asks the coordinator.
    const status = await remote(['service', 'status']);
    expect(status.stdout).toMatch(/^coordinator running \(pid \d+\), up .+, PAUSED\n/);
    expect(status.stdout).toContain(`url: ${base}/\n`);
  });

  it("the coordinator's own token reaches no person: not in its status, not in anything a person's wg printed", async () => {
    const status = JSON.parse((await remote(['service', 'status', '--json'])).stdout) as ServiceStatus;
    expect(status.url).toBe(`${base}/`);
    expect(master).toMatch(/^[0-9a-f]{64}$/);
    expect(seenByPeople.length).toBeGreaterThan(50);
    for (const text of seenByPeople) expect(text).not.toContain(master);
  });

  it('a revoked token is refused at once: the next command, and the event stream it had open', async () => {
    const stream = await openEvents(alice);
    await shared.ok(['token', 'revoke', 'alice']);
    expect(await remote(['list'])).toEqual({
      stdout: '',
      stderr: `wg: the coordinator at ${base} refused the token: token 'alice' was revoked`,
      exitCode: 1,
    });
    await waitFor('the revoked stream to end', () => stream.ended);
  });
});

/** POST /api/internal/shutdown with a token: what the coordinator answered. */
async function shutdownAs(token: string): Promise<{ status: number; error: string }> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(`${base}/api/internal/shutdown`, {
      method: 'POST',
      ca: readFileSync(cert),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end('{}');
  });
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode ?? 0, error: (JSON.parse(Buffer.concat(chunks).toString()) as { error: string }).error };
}

/** The window's event stream, opened with a token; `ended` once the coordinator closes it. */
async function openEvents(token: string): Promise<{ ended: boolean }> {
  const state = { ended: false };
  await new Promise<void>((resolve, reject) => {
    const req = request(`${base}${EVENTS_PATH}`, { ca: readFileSync(cert), headers: { authorization: `Bearer ${token}` } }, (res) => {
      expect(res.statusCode).toBe(200);
      res.once('data', () => resolve());
      res.on('end', () => {
        state.ended = true;
      });
      res.on('close', () => {
        state.ended = true;
      });
    });
    req.on('error', reject);
    req.end();
  });
  return state;
}

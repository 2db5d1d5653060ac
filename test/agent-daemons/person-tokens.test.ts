import { sqlText } from '../helpers/sql-text';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/core/store/token-store';
import type { OpContext, ServiceControl } from '../../src/core/ops/context';
import type { ServiceStatus } from '../../src/shared/service-types';
import { dispatch } from '../../src/core/ops/dispatch';
import type { ProjectPaths } from '../../src/core/project';
import { baseAgentEnv } from '../../src/core/runs/starting/agent-env';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', async (kind) => {
  /**
   * People's tokens in the store (kept as a SHA-256 and the last four characters, like agent daemons'),
   * and what a person's token may do once the API has said who it is: every operation on the project's
   * work, as that person, but not tokens or the coordinator's settings unless it is an admin's.
   */
  let temp = await tempStore(undefined, kind);
  afterEach(async () => {
    await temp.dispose();
    temp = await tempStore(undefined, kind);
  });

  const tokens = () => new TokenStore(temp.store.core);
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  const asPerson = (name: string, admin = false): OpContext => ({
    store: temp.store,
    paths: {
      dir: temp.dir,
      root: temp.dir,
      serviceDir: join(temp.dir, 'service'),
      config: join(temp.dir, 'config.toml'),
      globalConfig: join(temp.dir, 'global-config.toml'),
    } as ProjectPaths,
    actor: name,
    person: { name, admin },
  });

  describe("a person's token in the store", () => {
    it('is printed once (wgp_), kept only as its hash and last four characters, in one namespace with agent tokens', async () => {
      const alice = await tokens().create({ name: 'alice', person: true });
      const boss = await tokens().create({ name: 'boss', admin: true });
      const laptop = await tokens().create({ name: 'laptop' });
      expect(alice).toMatchObject({ name: 'alice', kind: 'person', last4: alice.token.slice(-4) });
      expect(alice.token).toMatch(/^wgp_[\w-]{43}$/);
      expect(boss).toMatchObject({ kind: 'admin' });
      expect(boss.token).toMatch(/^wgp_/);
      expect(laptop).toMatchObject({ kind: 'agent' });
      expect(laptop.token).toMatch(/^wga_/);
      const row = await sqlText<{ hash: string }>(temp.store.core, 'SELECT hash FROM agent_tokens WHERE name = ?').get('alice');
      expect(row?.hash).toBe(sha256(alice.token));
      if (kind === 'sqlite') {
        temp.store.core.db.pragma('wal_checkpoint(TRUNCATE)');
        expect(readFileSync(join(temp.dir, 'graph.db')).includes(alice.token)).toBe(false);
      } else expect(JSON.stringify(await sqlText(temp.store.core, 'SELECT * FROM agent_tokens').all())).not.toContain(alice.token);
      expect((await tokens().list()).map((t) => [t.name, t.kind])).toEqual([
        ['alice', 'person'],
        ['boss', 'admin'],
        ['laptop', 'agent'],
      ]);
      expect(JSON.stringify(await tokens().list())).not.toContain(alice.token);
      await expect(() => tokens().create({ name: 'alice' })).rejects.toThrow("a token named 'alice' exists already");
      await expect(() => tokens().create({ name: 'bob', person: true, roles: ['dev'] })).rejects.toThrow(
        "--roles and --repos scope an agent daemon's token; a person's token has neither",
      );
    });

    it('says who it is until it is revoked, then why not at once; an agent token is no person, nor a person an agent daemon', async () => {
      const alice = await tokens().create({ name: 'alice', person: true });
      const boss = await tokens().create({ name: 'boss', admin: true });
      const laptop = await tokens().create({ name: 'laptop' });
      expect(await tokens().person(alice.token)).toEqual({ ok: true, caller: { name: 'alice', admin: false }, issued: alice.created_at });
      expect(await tokens().person(boss.token)).toEqual({ ok: true, caller: { name: 'boss', admin: true }, issued: boss.created_at });
      expect(await tokens().person('wgp_not-a-token')).toBeNull();
      expect(await tokens().person(laptop.token)).toEqual({
        ok: false,
        reason: "'laptop' is an agent daemon's token; a person needs one made with wg token create NAME --person",
      });
      expect(await tokens().authenticate(alice.token)).toEqual({
        ok: false,
        reason: "'alice' is a person's token; an agent daemon needs an agent token",
      });
      await tokens().revoke('alice');
      expect(await tokens().person(alice.token)).toEqual({ ok: false, reason: "token 'alice' was revoked" });
    });

    /*
     * A lost laptop: its person's token is revoked and the same name issued again, so her log lines keep one name.
     * `wg token create carol --person` after the revoke said "a token named 'carol' exists already (revoke it first,
     * …)" for ever (review finding 4). The revoked token opens nothing, and a connection it opened is told from the
     * new token's (its issue time), so a coordinator that checks only after both commits still closes it.
     */
    it('issues a revoked name again, of either kind; the revoked token stays refused and its connections stale', async () => {
      const lost = await tokens().create({ name: 'carol', person: true });
      const old = { name: 'carol', issued: lost.created_at };
      await expect(() => tokens().create({ name: 'carol', person: true })).rejects.toThrow(
        "a token named 'carol' exists already (revoke it first, or pick another name)",
      );
      await tokens().revoke('carol');
      const again = await tokens().create({ name: 'carol', person: true });
      expect(again).toMatchObject({ name: 'carol', kind: 'person', revoked_at: null, last_used_at: null });
      expect(again.created_at).not.toBe(lost.created_at);
      expect(await tokens().person(lost.token)).toBeNull();
      expect(await tokens().person(again.token)).toEqual({ ok: true, caller: { name: 'carol', admin: false }, issued: again.created_at });
      expect((await tokens().list()).map((t) => [t.name, t.revoked_at])).toEqual([['carol', null]]);
      const now = { name: 'carol', issued: again.created_at };
      expect(await tokens().stale([old, now])).toEqual([old]);
      await expect(() => tokens().create({ name: 'carol', person: true })).rejects.toThrow("a token named 'carol' exists already");

      // An agent daemon's token likewise; a revoked name may come back as another kind (it is a new token).
      const laptop = await tokens().create({ name: 'laptop', roles: ['dev'] });
      await tokens().revoke('laptop');
      const daemon = await tokens().create({ name: 'laptop', repos: ['shop'] });
      expect(daemon).toMatchObject({ kind: 'agent', roles: [], repos: ['shop'], revoked_at: null });
      expect(await tokens().authenticate(laptop.token)).toEqual({ ok: false, reason: 'unknown agent token' });
      expect(await tokens().authenticate(daemon.token)).toMatchObject({ ok: true, token: { name: 'laptop' } });
      await tokens().revoke('laptop');
      expect(await tokens().stale([{ name: 'laptop', issued: daemon.created_at }])).toHaveLength(1);
      expect(await tokens().create({ name: 'laptop', admin: true })).toMatchObject({ kind: 'admin' });
    });

    it('refuses a name that differs from another only in case (Alice beside alice), revoked or not, in one line', async () => {
      await tokens().create({ name: 'alice', person: true });
      const line =
        "a token named 'alice' exists already, and 'Alice' differs from it only in case, so both would read as one name in the log and messages: use 'alice' (revoke it first) or another name";
      await expect(() => tokens().create({ name: 'Alice', person: true })).rejects.toThrow(line);
      await tokens().revoke('alice');
      await expect(() => tokens().create({ name: 'Alice', admin: true })).rejects.toThrow(line);
      expect((await tokens().list()).map((t) => t.name)).toEqual(['alice']);
      // The name itself, reissued, as before.
      expect(await tokens().create({ name: 'alice', person: true })).toMatchObject({ name: 'alice', revoked_at: null });
    });

    it('notes its use at most once a minute: a note is a commit every window hears of', async () => {
      const alice = await tokens().create({ name: 'alice', person: true });
      const rev = await temp.store.core.currentRev();
      await tokens().person(alice.token);
      expect(await temp.store.core.currentRev()).toBe(rev + 1);
      expect((await tokens().get('alice')).last_used_at).toBe('2026-03-01T12:00:00.000Z');
      temp.setNow(new Date('2026-03-01T12:00:59Z'));
      await tokens().person(alice.token);
      expect(await temp.store.core.currentRev()).toBe(rev + 1);
      temp.setNow(new Date('2026-03-01T12:01:00Z'));
      await tokens().person(alice.token);
      expect((await tokens().get('alice')).last_used_at).toBe('2026-03-01T12:01:00.000Z');
    });
  });

  describe("what a person's token may do (person-authority.ts, checked in dispatch)", () => {
    it("works on the project's work as that person", async () => {
      const task = await dispatch('task:add', { title: 'From alice', id: 'a' }, asPerson('alice'));
      expect(task.log.at(-1)?.actor).toBe('alice');
      await dispatch('task:edit', { id: 'a', title: 'Renamed' }, asPerson('alice'));
      const sent = await dispatch('msg:send', { task: 'a', message: 'hello' }, asPerson('alice'));
      expect(sent.sender).toBe('alice');
      await dispatch('task:done', { id: 'a' }, asPerson('alice'));
      const log = (await temp.store.get('a')).log;
      expect(log.map((entry) => entry.actor)).toEqual(log.map(() => 'alice'));
      expect(log.at(-1)?.message).toMatch(/done/i);
    });

    it('may not manage tokens or change the settings unless it is an admin', async () => {
      const refusal = (what: string, command: string) =>
        `alice's token may not ${what} ('${command}'); a token made with wg token create NAME --admin may`;
      await expect(dispatch('token:create', { name: 'mallory', person: true }, asPerson('alice'))).rejects.toThrow(
        refusal('manage tokens', 'token create'),
      );
      await expect(dispatch('token:list', {}, asPerson('alice'))).rejects.toThrow(refusal('manage tokens', 'token list'));
      await expect(dispatch('token:revoke', { name: 'alice' }, asPerson('alice'))).rejects.toThrow(
        refusal('manage tokens', 'token revoke'),
      );
      await expect(dispatch('config:update', { maxAgents: 9 }, asPerson('alice'))).rejects.toThrow(
        refusal("change the coordinator's settings", 'config'),
      );
      await expect(dispatch('executor:remove', { name: 'shell' }, asPerson('alice'))).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(dispatch('model:add', { name: 'm', provider: 'anthropic', modelId: 'm-1' }, asPerson('alice'))).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(dispatch('agency:init', {}, asPerson('alice'))).rejects.toThrow(
        refusal("change the coordinator's settings", 'agency init'),
      );
      await expect(dispatch('agency:export', { path: '/tmp/elsewhere' }, asPerson('alice'))).rejects.toThrow(
        refusal("name a folder on the coordinator's machine", 'agency export'),
      );
      // `wg store copy` writes where the caller says, on the coordinator's machine; with --switch it re-points the store.
      for (const input of [{ to: join(temp.dir, 'dump.db') }, { to: 'postgresql:///wg?schema=elsewhere', switch: true }]) {
        await expect(dispatch('graph:copy', input, asPerson('alice'))).rejects.toThrow(
          refusal("copy the project's graph to a file or database of their choosing", 'store copy'),
        );
      }
      // A shell command runs on the coordinator's machine as its user (who can read the project's token): given to a
      // task or run, it is the coordinator's own authority.
      const command = "give a task a shell command, which runs on the coordinator's machine";
      await expect(dispatch('task:add', { title: 'X', id: 'x', exec: 'id' }, asPerson('alice'))).rejects.toThrow(refusal(command, 'add'));
      await dispatch('task:add', { title: 'Y', id: 'y' }, asPerson('alice'));
      await expect(dispatch('task:edit', { id: 'y', exec: 'id' }, asPerson('alice'))).rejects.toThrow(refusal(command, 'edit'));
      for (const input of [
        { task: 'y', set: 'id' },
        { task: 'y', shell: true },
        { task: 'y', clear: true },
      ]) {
        await expect(dispatch('task:exec', input, asPerson('alice'))).rejects.toThrow(
          refusal("run or set a task's command on the coordinator's machine", 'exec'),
        );
      }
      expect((await temp.store.get('y')).exec ?? null).toBeNull();
      expect((await temp.store.list()).map((t) => t.id)).not.toContain('x');
      await expect(dispatch('task:add', { title: 'Z', id: 'z', exec: 'true' }, asPerson('boss', true))).resolves.toMatchObject({
        exec: 'true',
      });
      // A URL as an executor has the coordinator's machine send the task there (a service listening on its loopback,
      // say): a person picks among the profiles an admin made, by name.
      const url = "name a URL as an executor, which the coordinator's machine would send the task to (name an executor profile instead)";
      for (const executor of ['http://127.0.0.1:9/run', 'HTTPS://127.0.0.1:9/run']) {
        await expect(dispatch('task:add', { title: 'U', id: 'u', executor }, asPerson('alice'))).rejects.toThrow(refusal(url, 'add'));
        await expect(dispatch('task:edit', { id: 'y', executor }, asPerson('alice'))).rejects.toThrow(refusal(url, 'edit'));
      }
      expect((await temp.store.get('y')).executor ?? null).toBeNull();
      await expect(dispatch('task:edit', { id: 'y', executor: 'shell' }, asPerson('alice'))).resolves.toMatchObject({
        executor: 'shell',
      });
      expect(await tokens().list()).toEqual([]);
      // Reading the settings is the project's business; an admin's token may change them and make tokens.
      await expect(dispatch('config:list', {}, asPerson('alice'))).resolves.toBeDefined();
      await expect(dispatch('config:update', { list: true }, asPerson('alice'))).resolves.toBeDefined();
      const made = await dispatch('token:create', { name: 'carol', person: true }, asPerson('boss', true));
      expect(made).toMatchObject({ name: 'carol', kind: 'person' });
    });
  });

  describe("what a person's token may not reach by a side door", () => {
    it('`wg import` may not give a task a shell command or a URL to be sent to, as `wg add` may not; a plain import may', async () => {
      const line = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'task', title: 'Imported', ...fields });
      const command = "give a task a shell command, which runs on the coordinator's machine";
      const url = "name a URL as an executor, which the coordinator's machine would send the task to (name an executor profile instead)";
      for (const [jsonl, what] of [
        [`${line({ id: 'fine' })}\n${line({ id: 'evil', executor: 'shell', exec: 'id > /tmp/owned' })}`, command],
        [line({ id: 'away', executor: 'http://127.0.0.1:9/run' }), url],
        // A line led by a no-break space or a byte-order mark, which the import trims and reads, is checked as read:
        // skipped by a check's own JSON.parse of each line, its command would run on the coordinator's machine.
        [`\u00a0${line({ id: 'nbsp', exec: 'touch /tmp/owned' })}`, command],
        [`\ufeff${line({ id: 'bom', exec: 'touch /tmp/owned' })}`, command],
        [`  ${line({ id: 'spaced', executor: 'https://example.com/run' })}\t`, url],
        // Upstream's argv of a chat task, which its TUI runs where both tools share the folder.
        [line({ id: 'argv', command_argv: ['sh', '-c', 'id > /tmp/owned'] }), command],
      ] as const) {
        await expect(dispatch('graph:import', { jsonl }, asPerson('alice'))).rejects.toThrow(
          `alice's token may not ${what} ('import'); a token made with wg token create NAME --admin may`,
        );
      }
      expect(await temp.store.list()).toEqual([]);
      await expect(dispatch('graph:import', { jsonl: line({ id: 'plain' }) }, asPerson('alice'))).resolves.toMatchObject({
        imported: 1,
      });
      await expect(dispatch('graph:import', { jsonl: line({ id: 'cmd', exec: 'true' }) }, asPerson('boss', true))).resolves.toMatchObject({
        imported: 1,
      });
    });

    it("a heartbeat for an agent's run is the agent's: a person's token may check for stale runs but not keep one alive", async () => {
      await dispatch('task:add', { title: 'Job', id: 'job' }, asPerson('alice'));
      await expect(dispatch('task:heartbeat', { agent: 'agent-1' }, asPerson('alice', true))).rejects.toThrow(
        "alice's token acts as alice: it cannot give agent-1 ('heartbeat' is recorded under the caller's own name)",
      );
      await expect(dispatch('task:heartbeat', {}, asPerson('alice'))).resolves.toBeDefined();
    });

    it("may not write history in anyone else's name: a reclaim to another, a score by another, imported log lines and holders", async () => {
      await dispatch('task:add', { title: 'Deploy', id: 'deploy' }, asPerson('alice'));
      await temp.store.tasks.claim('deploy', 'carol', 'carol');
      await expect(dispatch('task:reclaim', { id: 'deploy', from: 'carol', to: 'coordinator' }, asPerson('alice'))).rejects.toThrow(
        "alice's token acts as alice: it cannot give --to coordinator",
      );
      await expect(dispatch('eval:record', { task: 'deploy', score: 0.1, evaluator: 'bob' }, asPerson('alice'))).rejects.toThrow(
        "alice's token acts as alice: it cannot give --evaluator bob",
      );
      const line = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'task', id: 'release', title: 'Release', ...fields });
      for (const [fields, lead] of [
        [{ log: [{ timestamp: '2026-11-27T10:00:00Z', actor: 'coordinator', message: 'Approved by bob' }] }, ''],
        [{ status: 'in-progress', assigned: 'bob' }, ''],
        [{ log: [{ timestamp: '2026-11-27T10:00:00Z', actor: 'boss', user: 'bob', message: 'Approved' }] }, ''],
        // An evaluation signed by another, and a log line led by a no-break space.
        [{ status: 'done', evaluation: { score: 0.99, evaluator: 'bob', notes: 'bob signed off' } }, ''],
        [{ log: [{ timestamp: '2026-11-27T10:00:00Z', actor: 'coordinator', message: 'Approved by admin' }] }, '\u00a0'],
      ] as const) {
        await expect(dispatch('graph:import', { jsonl: lead + line(fields) }, asPerson('boss', true))).rejects.toThrow(
          /^boss's token acts as boss: the lines to import name '(coordinator|bob)' as a task's holder, in its log or as its evaluator/,
        );
      }
      expect((await temp.store.list()).map((t) => t.id)).toEqual(['deploy']);
      // Their own name is theirs to give.
      await expect(dispatch('task:reclaim', { id: 'deploy', from: 'carol', to: 'alice' }, asPerson('alice'))).resolves.toMatchObject({
        assigned: 'alice',
      });
      const mine = line({ log: [{ timestamp: '2026-11-27T10:00:00Z', actor: 'alice', message: 'Planned' }] });
      await expect(dispatch('graph:import', { jsonl: mine }, asPerson('alice'))).resolves.toMatchObject({ imported: 1 });
    });

    it('claims for that person when it names nobody: the task shows who holds it', async () => {
      await dispatch('task:add', { title: 'Review', id: 'review' }, asPerson('alice'));
      await expect(dispatch('task:claim', { id: 'review' }, asPerson('alice'))).resolves.toMatchObject({
        status: 'in-progress',
        assigned: 'alice',
      });
    });

    it("the coordinator's status answering pause, resume and reload carries its URL without the project's token, as status does", async () => {
      const status = { status: 'running', running: true, paused: false, url: 'http://127.0.0.1:8787/#token=secret' } as ServiceStatus;
      const service: ServiceControl = {
        status: async () => status,
        pause: async () => undefined,
        resume: async () => undefined,
        reload: async () => undefined,
        spawn: () => Promise.reject(new Error('not here')),
      };
      for (const name of ['service:status', 'service:pause', 'service:resume'] as const) {
        const answer = await dispatch(name, {}, { ...asPerson('alice'), service });
        expect(answer.url, name).toBe('http://127.0.0.1:8787/');
      }
      const reloaded = await dispatch('service:reload', {}, { ...asPerson('boss', true), service });
      expect(reloaded.url).toBe('http://127.0.0.1:8787/');
    });
  });

  describe("a person's token stays the person's", () => {
    it('a coordinator started from a shell that reaches another one hands neither the address nor the token to its agents', () => {
      const env = baseAgentEnv({ PATH: '/usr/bin', WG_SERVER: 'https://build.example:8787', WG_TOKEN: 'wgp_x', WG_CA_CERT: '/tmp/ca.pem' });
      expect(env).toEqual({ PATH: '/usr/bin' });
    });

    it("nor an agent daemon's token, with which a run could start a daemon of its own", () => {
      expect(baseAgentEnv({ PATH: '/usr/bin', WG_AGENT_TOKEN: 'wga_x', WG_AGENT_TOKEN_FILE: '/tmp/t' })).toEqual({ PATH: '/usr/bin' });
    });
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/message';
import type { ServiceStatus } from '../../src/shared/service-types';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, taskOf, text, type FakeAnthropic, type ScriptTurn } from '../fixtures/fake-anthropic';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { TempProject, WG_BIN } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * The real Claude Code CLI, against a scripted model server, works on a task of a team's graph for the coordinator
 * of folder A; a person sends it a message through the coordinator of folder B. The agent's tool calls are plain
 * `sleep 1` (no `wg` call of its own that would print the message): only its PostToolUse hook can hand the message
 * over, and that hook looks for the marker in folder A. A message that never reaches it makes it fail the task.
 *
 * Both coordinators are active; folder B's is paused (it starts nothing), so the run is folder A's and its claim
 * names folder A's coordinator.
 */
const CORRECTION = 'Use the helper in src/auth.ts, please';
const REPLY = 'Acknowledged, using the helper';
const MAX_WAIT_TURNS = 30;
const SCHEMA = 'msgs';

let server: PgServer;
let anthropic: FakeAnthropic;
let agentEnv: Record<string, string>;
const folders: TempProject[] = [];
const sql = (q: string) => server.psql(`SET search_path = ${SCHEMA}; ${q}`).trim();
let delivered: string | null = null;

/** The role of the request's message that carries the correction, if one does. */
function carrier(items: unknown[]): string | null {
  for (const item of items) {
    if (!JSON.stringify(item).includes(CORRECTION)) continue;
    const role = (item as { role?: unknown }).role;
    return typeof role === 'string' ? role : 'unknown';
  }
  return null;
}

/** What a failed wait should say: the task, its runs, the model's turns and the end of folder A's daemon log. */
function diagnose(a: TempProject): string {
  let log = '';
  try {
    log = readFileSync(join(a.root, '.workgraph/service/daemon.log'), 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    log = '(no daemon log)';
  }
  const task = sql("SELECT status FROM tasks WHERE id = 'talk'");
  const runs = sql("SELECT id, state, coalesce(reason, '') FROM agents WHERE task_id = 'talk'");
  return `task ${task}; runs ${runs}; ${anthropic.conversation().length} model turns; delivered ${delivered}\n${log}`;
}

/** `wg` as a real process with the agents' isolated environment (the coordinator's agents inherit it). */
async function wg(p: TempProject, args: string[], env: Record<string, string> = {}) {
  const result = await execa('node', [WG_BIN, ...args], {
    cwd: p.root,
    env: { ...agentEnv, ...p.env, ...env },
    extendEnv: false,
    reject: false,
  });
  expect(result.exitCode, `wg ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  server = startPostgresServer();
  anthropic = await startFakeAnthropic([], {
    respond: (body, turn): ScriptTurn => {
      if (taskOf(body) !== 'talk') return [text('Done.')];
      if (delivered !== null) return [text('Done.')];
      const where = carrier(Array.isArray(body.messages) ? body.messages : []);
      if (where !== null && turn > 0) {
        delivered = where;
        return [bash(`"$WG_BIN" msg send talk "${REPLY}" && "$WG_BIN" done talk`)];
      }
      if (turn >= MAX_WAIT_TURNS) return [bash('"$WG_BIN" fail talk --reason "no message arrived"')];
      return [bash('sleep 1')];
    },
  });
  for (const name of ['a', 'b']) {
    const p = new TempProject(`wg-team-msg-${name}-`);
    folders.push(p);
  }
  const home = join((folders[0] as TempProject).root, '.claude-home');
  mkdirSync(home, { recursive: true });
  agentEnv = { ...isolatedHostEnv(), ...claudeEnv(anthropic.url, home) };
  for (const p of folders) await wg(p, ['init', '--store', server.url({ schema: SCHEMA })]);
}, 120_000);

afterAll(async () => {
  for (const p of folders) {
    await execa('node', [WG_BIN, 'service', 'stop', '--kill-agents'], {
      cwd: p.root,
      env: { ...agentEnv, ...p.env },
      extendEnv: false,
      reject: false,
    });
    p.remove();
  }
  await anthropic?.close();
  server?.stop();
}, 120_000);

describe("a message to an agent of a team's graph", () => {
  it('sent through another coordinator, reaches the Claude Code agent of the coordinator that runs it, after a tool call', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    await wg(a, ['service', 'start']);
    const bUrl = ((JSON.parse(await wg(b, ['service', 'start', '--json'])) as ServiceStatus).url ?? '').replace(/\/#token=.*$/, '');
    // Folder b starts nothing: the run is folder a's, and the message goes through b.
    await wg(b, ['service', 'pause']);
    const person = JSON.parse(await wg(b, ['token', 'create', 'ann', '--person', '--json'])) as { token: string };

    await wg(a, ['add', 'Talk to me', '--id', 'talk', '--executor', 'claude', '--model', 'haiku']);
    const agent = await until('a run of talk', () => sql("SELECT id FROM agents WHERE task_id = 'talk' AND state = 'working'"), 120_000);
    const aId = readFileSync(join(a.root, '.workgraph/service/coordinator-id'), 'utf8').split('\n')[0] ?? '';
    expect(sql(`SELECT coordinator_id FROM agents WHERE id = '${agent}'`)).toBe(aId);
    // Mid-run: its first tool call made.
    await until('the agent working', () => anthropic.conversation().some((r) => JSON.stringify(r.body).includes('sleep 1')), 120_000);

    await wg(b, ['msg', 'send', 'talk', CORRECTION], { WG_SERVER: bUrl, WG_TOKEN: person.token });
    const ended = await until(
      'talk to end',
      () => /^(done|failed)$/.test(sql("SELECT status FROM tasks WHERE id = 'talk'")),
      180_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${diagnose(a)}`);
    });
    expect(ended && sql("SELECT status FROM tasks WHERE id = 'talk'"), diagnose(a)).toBe('done');
    // Handed over by the hook after a tool call (Claude Code adds it as a system message; a `user` one is the Stop hook's).
    expect(delivered).toBe('system');
    const messages = JSON.parse(await wg(b, ['msg', 'list', 'talk', '--json'])) as Message[];
    expect(messages.map((m) => [m.sender, m.body, m.status])).toEqual([
      ['ann', CORRECTION, 'read'],
      ['talk', REPLY, 'sent'],
    ]);
  }, 300_000);
});

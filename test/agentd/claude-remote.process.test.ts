import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import type { RunEventPage } from '../../src/shared/run-event';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, taskOf, text, toolResultsOf, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from './helpers/agentd-process';

/**
 * The real Claude Code CLI run by a real `wg agentd` (its default command line) for a real
 * coordinator, against the scripted model: the run's log, cost and result come back to the coordinator.
 */
let fake: FakeAnthropic;
const p = new DaemonProject('wg-agentd-claude-');
const repo = makeRepo('wg-agentd-claude-repo-');
const rootRepo = makeRepo('wg-agentd-claude-root-');
let url = '';
let token = '';

beforeAll(async () => {
  fake = await startFakeAnthropic(
    [[bash('echo "hello from the agent machine" > notes.txt', 'Write the notes')], [text('Wrote notes.txt with a greeting.')]],
    {
      respond: (body, turn) => {
        // Reports what it did, then answers: a run that only answers did nothing (below).
        if (taskOf(body) === 'rooted')
          return turn === 0 ? [bash('"$WG_BIN" log rooted "ran in a sandbox"', 'Report')] : [text('Done, in a sandbox.')];
        if (taskOf(body) === 'idle') return [text('I looked at it; nothing needs doing.')];
        if (taskOf(body) === 'login')
          return turn === 0 ? [bash('echo "PATH=$PATH"; wg log login "from a login shell"', 'Report')] : [text('Logged.')];
        return undefined;
      },
    },
  );
  await p.init();
  token = (await p.json<CreatedAgentToken>(['token', 'create', 'laptop'])).token;
  url = ((await p.start()).url ?? '').replace(/\/#token=.*$/, '');
  const home = join(p.root, 'agent-home');
  mkdirSync(join(home, '.claude'), { recursive: true });
  // Its commands run in login shells whose profile sets PATH afresh: no shell snapshot (its folder is taken by a file),
  // so Claude Code runs each with `bash -c -l` (test/coordinator/claude-login-path.process.test.ts).
  writeFileSync(join(home, '.bash_profile'), 'PATH=/usr/bin:/bin\nexport PATH\n');
  writeFileSync(join(home, '.claude', 'shell-snapshots'), '');
  startAgentd('laptop', {
    ...isolatedHostEnv(),
    ...claudeEnv(fake.url, home),
    WG_COORDINATOR_URL: url,
    WG_AGENT_TOKEN: token,
    REPO_PATHS: `acme/app=${repo}`,
    ROLES: 'dev',
  });
});
afterAll(async () => {
  killMarked();
  await p.remove();
  await fake.close();
});

describe('Claude Code through an agent daemon', () => {
  it('reports its log, cost and result', async () => {
    await p.ok(['add', 'Write notes', '--id', 'notes', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev', '--model', 'haiku']);
    await waitFor('the task done', async () => (await p.task('notes')).status === 'done', 90_000);
    const task = await p.task('notes');
    const [agent] = await p.agentsOf('notes');
    expect(task.results).toMatchObject({ output: 'Wrote notes.txt with a greeting.', agent_daemon: 'laptop' });
    expect(task.cost_usd).toBeGreaterThan(0);
    expect(task.tokens_in).toBeGreaterThan(0);
    expect(agent).toMatchObject({ state: 'done', runs_elsewhere: true, executor: 'remote', cost_usd: task.cost_usd, model: 'haiku' });
    expect(task.session_id).toMatch(/^[0-9a-f-]{36}$/);

    const page = await p.json<RunEventPage>(['output', agent?.id as string]);
    const uses = page.events.flatMap((e) => (e.event.type === 'tool_use' ? [e.event] : []));
    expect(uses.map((u) => u.name)).toEqual(['Bash']);
    expect(page.events.some((e) => e.event.type === 'result' && !e.event.is_error)).toBe(true);

    // The work stayed on the agent machine; its diff came back.
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('hello from the agent machine\n');
    const diff = task.artifacts.find((a) => a.endsWith('changes.diff'));
    expect(readFileSync(diff as string, 'utf8')).toContain('+hello from the agent machine');
    // The model got the workflow prompt local runs get, naming the daemon's own `wg`, and the model chosen on the coordinator.
    const first = fake.conversation()[0]?.body as { model: string; messages: unknown[] };
    expect(first.model).toContain('haiku');
    expect(JSON.stringify(first.messages)).toContain('## Required workflow');
    expect(JSON.stringify(first.messages)).toMatch(/`\/[^`]*wg-agentd-bin-[^`/]+\/wg done notes`/);
  });

  it("finds the daemon's wg by its plain name in a login shell whose profile sets PATH afresh", async () => {
    await p.ok(['add', 'Log by name', '--id', 'login', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev']);
    await waitFor('the task done', async () => (await p.task('login')).status === 'done', 90_000);
    const [agent] = await p.agentsOf('login');
    expect((await p.task('login')).log.find((l) => l.message === 'from a login shell')?.actor).toBe(agent?.id);
    const second = fake.conversation().find((r) => taskOf(r.body as Record<string, unknown>) === 'login' && r.turn === 1);
    expect(second && toolResultsOf(second)[0]?.content).toMatch(/^PATH=\/[^:\n]*wg-agentd-bin-[^:/\n]+:\/usr\/bin:\/bin\n/);
  });

  it('an exit 0 that did nothing (no tool call, no commit, no change, no wg command) is not done: judged as a local run', async () => {
    await p.ok(['add', 'Do nothing', '--id', 'idle', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev', '--max-retries', '0']);
    const failed = await p.waitFor(
      'idle to fail',
      async () => ((await p.task('idle')).status === 'failed' ? p.task('idle') : null),
      90_000,
    );
    expect(failed.failure_reason).toBe('agent exited without reporting or changing anything');
    expect(failed.log.some((l) => l.message.startsWith('Task done'))).toBe(false);
    expect((await p.agentsOf('idle'))[0]).toMatchObject({ state: 'failed', exit_code: 0, runs_elsewhere: true });
  }, 120_000);

  // Claude Code refuses --dangerously-skip-permissions as root unless told the machine is a sandbox.
  it.runIf(process.getuid?.() === 0)(
    "as root: the reason says what works on the daemon's machine (IS_SANDBOX=1 in its environment), and that works",
    async () => {
      const home = join(p.root, 'root-home');
      mkdirSync(home, { recursive: true });
      const daemon = (sandbox: boolean): AgentdProcess => {
        const claude = claudeEnv(fake.url, home);
        if (!sandbox) delete claude.IS_SANDBOX;
        return startAgentd('rootbox', {
          ...isolatedHostEnv(),
          ...claude,
          WG_COORDINATOR_URL: url,
          WG_AGENT_TOKEN: token,
          REPO_PATHS: `acme/root=${rootRepo}`,
          ROLES: 'ops',
        });
      };
      const first = daemon(false);
      await p.ok(['add', 'As root', '--id', 'rooted', '--executor', 'remote', '--repo', 'acme/root', '--role', 'ops']);
      const failed = await p.waitFor(
        'rooted to fail',
        async () => ((await p.task('rooted')).status === 'failed' ? p.task('rooted') : null),
        90_000,
      );
      expect(failed.failure_reason).toBe(
        'Claude Code will not run unattended as root on agent daemon rootbox: run that daemon as another user, or, if its machine is a ' +
          "sandbox, add IS_SANDBOX=1 to the daemon's environment (its env file) and restart it, then wg retry rooted",
      );
      // A start that cannot work counts no retry.
      expect(failed.retry_count).toBe(0);

      // As the reason says: the daemon restarted with IS_SANDBOX=1, then wg retry.
      process.kill(first.pid, 'SIGTERM');
      await first.proc;
      daemon(true);
      await p.ok(['retry', 'rooted']);
      await p.waitFor('rooted done', async () => (await p.task('rooted')).status === 'done', 90_000);
      expect((await p.task('rooted')).results).toMatchObject({ output: 'Done, in a sandbox.', agent_daemon: 'rootbox' });
    },
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigEntry, ExecutorProfile, ModelRegistry } from '../../src/shared/config-types';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject();
const localConfig = () => join(p.root, '.workgraph/config.toml');
const entry = (entries: ConfigEntry[], key: string) => entries.find((e) => e.key === key);

beforeAll(async () => {
  await p.ok(['init']);
});
afterAll(() => p.remove());

describe('wg config', () => {
  it('shows each value with its source: default, global, local', async () => {
    mkdirSync(p.home, { recursive: true });
    writeFileSync(join(p.home, 'config.toml'), '[coordinator]\npoll_interval = 30\nmax_agents = 2\n');
    await p.ok(['config', '--max-agents', '8']);
    await p.ok(['config', '--model', 'sonnet']);
    await p.ok(['config', '--executor', 'shell']);
    const entries = await p.json<ConfigEntry[]>(['config', '--list']);
    expect(entry(entries, 'coordinator.max_agents')).toEqual({ key: 'coordinator.max_agents', value: 8, source: 'local' });
    expect(entry(entries, 'coordinator.poll_interval')).toEqual({
      key: 'coordinator.poll_interval',
      value: 30,
      source: 'global',
      unit: 'seconds',
    });
    expect(entry(entries, 'coordinator.model')).toMatchObject({ value: 'sonnet', source: 'local' });
    expect(entry(entries, 'agent.heartbeat_timeout')).toMatchObject({ source: 'default' });
    await p.ok(['config', '--poll-interval', '120']);
    expect(readFileSync(localConfig(), 'utf8')).toContain('poll_interval = 120');
    expect(await p.ok(['config', '--list'])).toMatch(/coordinator\.poll_interval\s+120 seconds\s+\(local\)/);
    await p.ok(['config', '--auto-triage', 'true', '--triage-model', 'haiku']);
    expect(entry(await p.json<ConfigEntry[]>(['config', '--list']), 'coordinator.auto_triage')).toMatchObject({ value: true });
  });

  it('a change prints one line per setting set, as upstream\'s "Set KEY = VALUE", not the whole table', async () => {
    expect((await p.ok(['config', '--sandbox', 'true', '--global'])).trim()).toBe('Set agent.sandbox = true (global)');
    expect((await p.ok(['config', '--agent-timeout', '30m', '--max-retries', '3'])).trim()).toBe(
      'Set agent.timeout = 1800 seconds\nSet agent.max_retries = 3',
    );
    // The project's own value still wins over a global one: said, not hidden.
    expect((await p.ok(['config', '--max-retries', '5', '--global'])).trim()).toBe(
      "Set agent.max_retries = 5 (global); the project's value 3 still applies",
    );
    expect(await p.ok(['config'])).toMatch(/agent\.sandbox\s+true\s+\(global\)/);
  });

  it('--agent-timeout none sets no limit, as `timeout = ""` in config.toml does (the command line could not say it)', async () => {
    expect((await p.ok(['config', '--agent-timeout', 'none'])).trim()).toBe('Set agent.timeout = (no limit)');
    expect(readFileSync(join(p.root, '.workgraph', 'config.toml'), 'utf8')).toMatch(/^timeout = ""$/m);
    expect(entry(await p.json<ConfigEntry[]>(['config', '--list']), 'agent.timeout')).toMatchObject({ value: null });
    const refused = await p.wg(['config', '--agent-timeout', 'never']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/more than 0, or none for no limit/);
    await p.ok(['config', '--agent-timeout', '1h']);
  });

  it('refuses a value another command would refuse later, in one line, and saves nothing', async () => {
    const before = readFileSync(join(p.root, '.workgraph', 'config.toml'), 'utf8');
    for (const [args, said] of [
      [['--model', 'a b'], 'wg: a name holds only letters, digits and . _ : / -, and starts with a letter or digit'],
      [['--model', 'claude:'], 'wg: a model is NAME or PROVIDER:MODEL, with nothing empty after the colon'],
      [['--listen', 'abc'], "wg: --listen takes HOST:PORT (e.g. 0.0.0.0:8787), not 'abc'"],
      [['--listen', ':99999'], "wg: --listen takes HOST:PORT (e.g. 0.0.0.0:8787), not ':99999'"],
      [['--base-branch', '-x'], `wg: '-x' is not a branch name git takes (no spaces, "..", ~ ^ : ? * [, nor a leading - or .)`],
      [['--base-branch', 'a b'], `wg: 'a b' is not a branch name git takes (no spaces, "..", ~ ^ : ? * [, nor a leading - or .)`],
      [['--role-model', 'bogus=sonnet'], /^wg: unknown role 'bogus': a role is one of default, task_agent, evaluator, /],
    ] as const) {
      const result = await p.wg(['config', ...args]);
      expect(result.exitCode, args.join(' ')).toBe(1);
      if (typeof said === 'string') expect(result.stderr.trim(), args.join(' ')).toBe(said);
      else expect(result.stderr.trim(), args.join(' ')).toMatch(said);
    }
    expect(readFileSync(join(p.root, '.workgraph', 'config.toml'), 'utf8')).toBe(before);
    expect((await p.ok(['config', '--base-branch', 'feature/x'])).trim()).toBe('Set coordinator.base_branch = feature/x');
  });

  it('reports broken TOML with file and line, and never overwrites it', async () => {
    const broken = '[coordinator]\nmax_agents = 8\n[agent\nmodel = "x"\n';
    writeFileSync(localConfig(), broken);
    const result = await p.wg(['config', '--max-agents', '3']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toMatch(
      new RegExp(
        `^wg: ${localConfig().replace(/[.]/g, '\\.')} is not valid TOML at line 3, column \\d+ \\([a-z ]+\\); check its brackets and quotes$`,
      ),
    );
    expect(result.stderr).not.toMatch(/Invalid TOML document/);
    expect(readFileSync(localConfig(), 'utf8')).toBe(broken);
    const listed = await p.wg(['config', '--list']);
    expect(listed.exitCode).not.toBe(0);
    // The status says a start would fail on it, instead of leaving its settings out without a word.
    expect(await p.ok(['service', 'status'])).toMatch(
      /^settings: cannot be read, so the coordinator cannot start: .*config\.toml is not valid TOML at line 3/m,
    );
    expect((await p.json<{ settings_error?: string }>(['service', 'status'])).settings_error).toMatch(/is not valid TOML at line 3/);
    writeFileSync(localConfig(), '[coordinator]\nmax_agents = "lots"\n');
    expect((await p.wg(['config', '--list'])).stderr.trim()).toMatch(
      /config\.toml: coordinator\.max_agents must be a whole number \(got 'lots'\)$/,
    );
    writeFileSync(localConfig(), '');
  });
});

describe('wg model', () => {
  // Upstream's add refuses a --model it cannot resolve ("Could not resolve model … Did you mean"); here a name the
  // registry lacks is a model id passed as written, so one that is a likely typo is said, not refused.
  it('refuses to route the assigner, evaluator or triage to a model Claude Code cannot reach, and keeps the route there was', async () => {
    const p = new TempProject();
    await p.ok(['init']);
    await p.ok(['model', 'add', 'ds', '--provider', 'openrouter', '--model-id', 'deepseek/deepseek-chat']);
    await p.ok(['model', 'add', 'own', '--provider', 'mine', '--endpoint', 'https://llm.example/v1/responses']);
    await p.ok(['model', 'set', 'evaluator', 'haiku']);
    const refusal = (role: string, model: string, by: string) =>
      `wg: the ${role} runs with Claude Code here, which reaches only Anthropic's models; '${model}' is served by ${by}: give it an anthropic model (wg model list)`;
    for (const [args, role, model, by] of [
      [['model', 'set', 'evaluator', 'ds'], 'evaluator', 'ds', 'openrouter'],
      [['model', 'set', 'own', '--role', 'assigner'], 'assigner', 'own', 'its own endpoint (https://llm.example/v1/responses)'],
      [['config', '--role-model', 'evaluator=ds'], 'evaluator', 'ds', 'openrouter'],
      [['config', '--triage-model', 'ds'], 'triage', 'ds', 'openrouter'],
    ] as const) {
      const result = await p.wg([...args]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.trim()).toBe(refusal(role, model, by));
    }
    expect((await p.json<ModelRegistry>(['model', 'list'])).roles.evaluator).toBe('haiku');
    // Anthropic's models, a model id as written, and roles this app does not run with Claude Code are routed.
    await p.ok(['model', 'set', 'evaluator', 'claude:opus']);
    await p.ok(['model', 'set', 'triage', 'sonnet']);
    await p.ok(['model', 'set', 'task_agent', 'ds']);
    await p.ok(['config', '--triage-model', 'haiku']);
    p.remove();
  });

  it('refuses, where it is set, a model the named executor cannot reach, as dispatch would have failed the task', async () => {
    const p = new TempProject();
    await p.ok(['init']);
    await p.ok(['model', 'add', 'ds', '--provider', 'openrouter', '--model-id', 'deepseek/deepseek-chat']);
    const refusal = (executor: string) =>
      `wg: model 'ds' is served by OpenRouter, which the claude executor '${executor}' cannot reach; use an executor of type codex`;
    const added = await p.wg(['add', 'T', '--id', 't', '--model', 'ds', '--executor', 'claude']);
    expect(added.exitCode).not.toBe(0);
    expect(added.stderr.trim()).toBe(refusal('claude'));
    expect((await p.wg(['executor', 'add', 'cds', '--type', 'claude', '--model', 'ds'])).stderr.trim()).toBe(refusal('cds'));
    expect((await p.json<ExecutorProfile[]>(['executor', 'list'])).map((e) => e.name)).not.toContain('cds');
    await p.ok(['add', 'T', '--id', 't', '--executor', 'claude']);
    expect((await p.wg(['edit', 't', '--model', 'ds'])).stderr.trim()).toBe(refusal('claude'));
    // Without a named executor the task goes to one that reaches it; codex does.
    await p.ok(['add', 'U', '--id', 'u', '--model', 'ds']);
    await p.ok(['edit', 't', '--model', 'ds', '--executor', 'codex']);
    await p.ok(['executor', 'add', 'cx', '--type', 'codex', '--model', 'ds']);
    p.remove();
  });

  it('says where a model is set that it looks like a typo of a registered one, and keeps it', async () => {
    const hint = (model: string, meant: string) =>
      `wg: model '${model}' is not in the registry (wg model list): did you mean '${meant}'? It is kept, and goes to the executor as the model id '${model}'`;
    const added = await p.wg(['add', 'Typo', '--id', 'typo-model', '--model', 'sonet']);
    expect(added.exitCode).toBe(0);
    expect(added.stderr.trim()).toBe(hint('sonet', 'sonnet'));
    expect((await p.wg(['edit', 'typo-model', '--model', 'hiaku'])).stderr.trim()).toBe(hint('hiaku', 'haiku'));
    expect((await p.wg(['config', '--model', 'Opus'])).stderr.trim()).toBe(hint('Opus', 'opus'));
    expect((await p.wg(['config', '--triage-model', 'hiku'])).stderr.trim()).toBe(hint('hiku', 'haiku'));
    expect((await p.wg(['executor', 'add', 'typo-exec', '--type', 'claude', '--model', 'sonnett'])).stderr.trim()).toBe(
      hint('sonnett', 'sonnet'),
    );
    // A registered name, a model id and a provider:model are not typos.
    for (const model of ['sonnet', 'claude-sonnet-4-5', 'claude:opus']) {
      expect((await p.wg(['edit', 'typo-model', '--model', model])).stderr.trim()).toBe('');
    }
    await p.ok(['executor', 'remove', 'typo-exec', '--force']);
    await p.ok(['config', '--model', 'sonnet', '--triage-model', 'haiku']);
  });

  it('has built-ins and manages the registry', async () => {
    const initial = await p.json<ModelRegistry>(['model', 'list']);
    expect(initial.models.map((m) => m.name)).toEqual(['haiku', 'sonnet', 'opus']);
    await p.ok([
      'model',
      'add',
      'my-model',
      '--provider',
      'openrouter',
      '--model-id',
      'deepseek/deepseek-chat-v3',
      '--tier',
      'fast',
      '--cost-in',
      '0.27',
      '--cost-out',
      '1.1',
    ]);
    await p.ok(['model', 'set-default', 'sonnet']);
    await p.ok(['model', 'set', '--role', 'evaluator', 'opus']);
    const registry = await p.json<ModelRegistry>(['model', 'list']);
    expect(registry.models.find((m) => m.name === 'my-model')).toEqual({
      name: 'my-model',
      provider: 'openrouter',
      model_id: 'deepseek/deepseek-chat-v3',
      tier: 'fast',
      cost_in: 0.27,
      cost_out: 1.1,
      builtin: false,
    });
    expect(registry.default).toBe('sonnet');
    expect(registry.roles).toEqual({ evaluator: 'opus' });
    await p.ok(['model', 'remove', 'my-model']);
    expect((await p.json<ModelRegistry>(['model', 'list'])).models.map((m) => m.name)).not.toContain('my-model');
    expect((await p.wg(['model', 'remove', 'opus'])).stderr).toMatch(/built-in/);
  });

  it('refuses an unknown provider in one line naming the known ones, and stores nothing', async () => {
    const before = readFileSync(localConfig(), 'utf8');
    const refused = await p.wg(['model', 'add', 'mine', '--provider', 'bogus', '--model-id', 'x']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.trim()).toBe(
      "wg: unknown provider 'bogus': the known ones are anthropic, codex, openai, openrouter, ollama (a model with its own --endpoint may name any)",
    );
    expect(readFileSync(localConfig(), 'utf8')).toBe(before);
    // Any name with an endpoint of its own (it is that endpoint that serves the model); known names in any case.
    await p.ok(['model', 'add', 'mine', '--provider', 'my-vllm', '--model-id', 'x', '--endpoint', 'http://127.0.0.1:8000/v1']);
    await p.ok(['model', 'add', 'routed', '--provider', 'OpenRouter', '--model-id', 'x']);
    await p.ok(['model', 'remove', 'mine']);
    await p.ok(['model', 'remove', 'routed']);
  });
});

describe("a role's model route and the setting it comes before", () => {
  it('config --list and service status show the model triage runs use, its source, and the setting that is not used', async () => {
    const q = new TempProject('wg-routes-');
    try {
      await q.ok(['init']);
      await q.ok(['config', '--triage-model', 'haiku']);
      await q.ok(['model', 'set', 'triage', 'opus']);
      const expected = {
        key: 'coordinator.triage_model',
        value: 'opus',
        source: 'local',
        via: 'roles.triage',
        unused: { value: 'haiku', source: 'local' },
      };
      expect(entry(await q.json<ConfigEntry[]>(['config', '--list']), 'coordinator.triage_model')).toEqual(expected);
      expect(await q.ok(['config', '--list'])).toMatch(
        /^coordinator\.triage_model +opus +\(local, from roles\.triage; triage_model = haiku \(local\) is not used\)$/m,
      );
      const status = await q.json<{ settings: ConfigEntry[] }>(['service', 'status']);
      expect(entry(status.settings, 'coordinator.triage_model')).toEqual(expected);
      // Setting it again says it is not what triage runs use.
      expect((await q.ok(['config', '--triage-model', 'sonnet'])).trim()).toBe(
        'Set coordinator.triage_model = sonnet; triage runs use opus, the triage route (wg model set triage MODEL changes it)',
      );
      // The task agents' route and coordinator.model, the same way.
      await q.ok(['config', '--model', 'sonnet']);
      await q.ok(['model', 'set', 'task_agent', 'haiku']);
      expect(entry(await q.json<ConfigEntry[]>(['config', '--list']), 'coordinator.model')).toMatchObject({
        value: 'haiku',
        via: 'roles.task_agent',
        unused: { value: 'sonnet', source: 'local' },
      });
    } finally {
      q.remove();
    }
  });
});

describe('wg executor', () => {
  it('adds, lists and removes profiles of each type', async () => {
    await p.ok(['executor', 'add', 'aider', '--type', 'cli', '--command', 'aider', '--args', '--message {prompt} --model {model}']);
    await p.ok(['executor', 'add', 'service', '--type', 'http', '--endpoint', 'http://localhost:3530/api/task', '--method', 'POST']);
    const profiles = await p.json<ExecutorProfile[]>(['executor', 'list']);
    expect(profiles.find((e) => e.name === 'aider')).toMatchObject({
      type: 'cli',
      command: 'aider',
      args: ['--message', '{prompt}', '--model', '{model}'],
    });
    expect(profiles.find((e) => e.name === 'service')).toMatchObject({ type: 'http', endpoint: 'http://localhost:3530/api/task' });
    expect(profiles.map((e) => e.name)).toEqual(expect.arrayContaining(['claude', 'codex', 'shell', 'external', 'manual', 'scheduled']));
    expect(readFileSync(localConfig(), 'utf8')).toContain('[executors.aider]');
    await p.ok(['executor', 'remove', 'aider']);
    expect((await p.json<ExecutorProfile[]>(['executor', 'list'])).map((e) => e.name)).not.toContain('aider');
    expect((await p.wg(['executor', 'add', 'x', '--type', 'cli'])).stderr.trim()).toBe("wg: executor 'x': a cli executor needs a command");
  });

  it('refuses to remove a profile the default executor or an unfinished task names, unless --force', async () => {
    await p.ok(['executor', 'add', 'rev', '--type', 'claude', '--model', 'haiku']);
    await p.ok(['config', '--executor', 'rev']);
    await p.ok(['add', 'Uses rev', '--id', 'uses-rev', '--executor', 'rev']);
    await p.ok(['add', 'Used rev', '--id', 'used-rev', '--executor', 'rev']);
    await p.ok(['done', 'used-rev']);
    // Removed, the coordinator kept the profile it had and ignored every later change to config.toml, and uses-rev failed at its start.
    const refused = await p.wg(['executor', 'remove', 'rev']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.trim()).toBe(
      "wg: Cannot remove 'rev': named by coordinator.executor, 1 unfinished task (uses-rev); use --force to remove it anyway, or change them first",
    );
    expect(readFileSync(localConfig(), 'utf8')).toContain('[executors.rev]');
    await p.ok(['config', '--executor', 'shell']);
    expect((await p.wg(['executor', 'remove', 'rev'])).stderr.trim()).toBe(
      "wg: Cannot remove 'rev': named by 1 unfinished task (uses-rev); use --force to remove it anyway, or change them first",
    );
    await p.ok(['executor', 'remove', 'rev', '--force']);
    expect((await p.json<ExecutorProfile[]>(['executor', 'list'])).map((e) => e.name)).not.toContain('rev');
    expect((await p.wg(['executor', 'remove', 'rev'])).stderr.trim()).toBe("wg: executor 'rev' not found in the project config");
  });

  it('refuses a profile that would hide a built-in executor of another type, from the command line or config.toml', async () => {
    const refused = await p.wg(['executor', 'add', 'remote', '--type', 'http', '--endpoint', 'http://localhost:3530/api/task']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.trim()).toBe(
      "wg: 'remote' is the built-in remote executor, so a profile of type http cannot take its name: give it another one",
    );
    expect(readFileSync(localConfig(), 'utf8')).not.toContain('[executors.remote]');
    // The built-in's own type: the built-in with settings of its own.
    await p.ok(['executor', 'add', 'claude', '--type', 'claude', '--model', 'opus']);
    expect((await p.json<ExecutorProfile[]>(['executor', 'list'])).find((e) => e.name === 'claude')).toMatchObject({
      type: 'claude',
      model: 'opus',
    });
    await p.ok(['executor', 'remove', 'claude']);
    // The README's example as it was, written by hand.
    const before = readFileSync(localConfig(), 'utf8');
    writeFileSync(localConfig(), `${before}\n[executors.remote]\ntype = "http"\nendpoint = "http://localhost:3530/api/task"\n`);
    try {
      const listed = await p.wg(['executor', 'list']);
      expect(listed.exitCode).not.toBe(0);
      expect(listed.stderr.trim()).toBe(
        `wg: ${localConfig()}: [executors.remote]: 'remote' is the built-in remote executor, so a profile of type http cannot take its name: give it another one`,
      );
    } finally {
      writeFileSync(localConfig(), before);
    }
  });

  it('splits --args as a shell would: quotes keep an argument whole, and each --args adds more', async () => {
    await p.ok(['executor', 'add', 'mine', '--type', 'cli', '--command', 'agent', '--args', '{model} {task_id}']);
    const args = async () => (await p.json<ExecutorProfile[]>(['executor', 'list'])).find((e) => e.name === 'mine')?.args;
    // It stored one argument, "{model} {task_id}".
    expect(await args()).toEqual(['{model}', '{task_id}']);
    await p.ok([
      'executor',
      'add',
      'mine',
      '--type',
      'cli',
      '--command',
      'agent',
      '--args',
      `--tools Read,Write -m "say it" 'a b'\\ c`,
      '--args',
      '{prompt}',
    ]);
    expect(await args()).toEqual(['--tools', 'Read,Write', '-m', 'say it', 'a b c', '{prompt}']);
    expect(await args()).toHaveLength(6);
    // What only a shell could do is refused in one line, and nothing is stored.
    for (const [text, what] of [
      ['echo hi > out.txt', "'>'"],
      ['--home $HOME', '$HOME'],
      ['a; rm -rf x', "';'"],
    ]) {
      const refused = await p.wg(['executor', 'add', 'mine', '--type', 'cli', '--command', 'agent', '--args', text as string]);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr.trim()).toBe(
        `wg: --args: ${what} needs a shell, and the command runs without one: write the value itself, or use --command sh --args "-c '…'"`,
      );
    }
    expect(await args()).toHaveLength(6);
  });
});

describe('wg config --base-branch', () => {
  it('says when the repository has no such branch yet, and what then happens (each worktree task failed; now they wait)', async () => {
    const q = new TempProject();
    try {
      // What `git init` and a first commit leave on main (a unit test starts no git).
      mkdirSync(join(q.root, '.git', 'refs', 'heads'), { recursive: true });
      writeFileSync(join(q.root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      writeFileSync(join(q.root, '.git', 'refs', 'heads', 'main'), `${'1'.repeat(40)}\n`);
      await q.ok(['init']);
      const missing = await q.wg(['config', '--base-branch', 'release']);
      expect(missing).toMatchObject({ exitCode: 0, stdout: 'Set coordinator.base_branch = release' });
      expect(missing.stderr).toBe(`wg: no branch 'release' in ${q.root} yet: tasks that work in worktrees wait until there is one`);
      expect((await q.wg(['config', '--base-branch', 'main'])).stderr).toBe('');
    } finally {
      q.remove();
    }
  });
});

describe('a misspelt setting in config.toml', () => {
  it('is said, with the setting meant, where settings are listed; upstream keys this app does not use are not', async () => {
    const q = new TempProject();
    try {
      await q.ok(['init']);
      const file = join(q.root, '.workgraph', 'config.toml');
      writeFileSync(file, '[coordinator]\nmax_agnets = 3\nverbose = true\n[agent]\nheartbeat_timout = 9\n');
      const listed = await q.wg(['config', '--list']);
      expect(listed.exitCode).toBe(0);
      expect(listed.stderr.split('\n')).toEqual([
        `wg: ${file}: [coordinator] max_agnets is not a setting, so it is ignored; did you mean max_agents?`,
        `wg: ${file}: [agent] heartbeat_timout is not a setting, so it is ignored; did you mean heartbeat_timeout?`,
      ]);
      expect(listed.stdout).toMatch(/coordinator\.max_agents +4 +\(default\)/);
    } finally {
      q.remove();
    }
  });
});

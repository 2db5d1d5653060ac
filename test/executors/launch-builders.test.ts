import { describe, expect, it } from 'vitest';
import { buildLaunch } from '../../src/core/executors';
import { WgError } from '../../src/shared/errors';
import { runCredential, verifyRunCredential } from '../../src/core/credentials/run-credential';
import { builtinProfile, makeContext, makeProfile, makeSettings, makeTask } from '../fixtures/objects';

const model = { name: 'sonnet', id: 'sonnet', source: 'task', provider: 'anthropic' } as const;

describe('claude launch', () => {
  it('runs claude headless with stream-json, the model, no permission prompts, no worktree tools of its own and the prompt on stdin', () => {
    const spec = buildLaunch(makeContext({ model, prompt: 'P' }), { hostEnv: {} });
    expect(spec).toEqual({
      kind: 'process',
      command: 'claude',
      args: [
        '--print',
        '--output-format',
        'stream-json',
        '--verbose',
        '--model',
        'sonnet',
        '--dangerously-skip-permissions',
        '--disallowedTools',
        'EnterWorktree,ExitWorktree',
      ],
      env: {},
      stdin: 'P',
      cwd: '/work/project',
      output: 'claude-stream-json',
    });
  });

  it('gives Claude Code IS_SANDBOX=1 where the person said this machine is a sandbox (agent.sandbox), and nothing otherwise', () => {
    const settings = makeSettings();
    settings.agent.sandbox = true;
    expect(buildLaunch(makeContext({ settings }), { hostEnv: {} })).toMatchObject({ env: { IS_SANDBOX: '1' } });
    expect(buildLaunch(makeContext(), { hostEnv: {} })).toMatchObject({ env: {} });
  });

  it('omits --model when the tool should choose, resumes a session, and honours WG_CLAUDE_BIN', () => {
    const spec = buildLaunch(makeContext({ resumeSessionId: 'sess-1' }), { hostEnv: { WG_CLAUDE_BIN: '/opt/claude' } });
    expect(spec.kind === 'process' && spec.command).toBe('/opt/claude');
    expect(spec.kind === 'process' && spec.args).toEqual([
      '--print',
      '--output-format',
      'stream-json',
      '--verbose',
      '--dangerously-skip-permissions',
      '--disallowedTools',
      'EnterWorktree,ExitWorktree',
      '--resume',
      'sess-1',
    ]);
  });
});

describe('codex launch', () => {
  const wg = '/work/project/.workgraph/service/bin/wg';

  it("runs codex's app server under the run's own wg codex-run, with the model, the prompt on stdin (any length, any first character)", () => {
    const spec = buildLaunch(
      makeContext({
        profile: builtinProfile('codex'),
        model: { name: 'gpt', id: 'gpt-5', source: 'executor', provider: null },
        prompt: '-starts with a dash',
      }),
      { hostEnv: {} },
    );
    expect(spec).toEqual({
      kind: 'process',
      command: wg,
      args: ['codex-run', '--model', 'gpt-5', '--', 'codex', '-c', 'allow_login_shell=false'],
      env: {},
      stdin: '-starts with a dash',
      cwd: '/work/project',
      output: 'codex-json',
      program: 'codex',
    });
  });

  it("points codex at the model's provider endpoint (its base URL overridable from the environment)", () => {
    const router = { name: 'deepseek', id: 'deepseek/deepseek-chat-v3', source: 'task', provider: 'openrouter' } as const;
    const spec = buildLaunch(makeContext({ profile: builtinProfile('codex'), model: router, prompt: 'P' }), {
      hostEnv: { OPENROUTER_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    expect(spec.kind === 'process' && spec.args.slice(7)).toEqual([
      '-c',
      'model_provider="wg-openrouter"',
      '-c',
      'model_providers.wg-openrouter={ name = "OpenRouter", base_url = "http://127.0.0.1:9/v1", wire_api = "responses", env_key = "OPENROUTER_API_KEY" }',
    ]);
    const ollama = buildLaunch(makeContext({ profile: builtinProfile('codex'), model: { ...router, provider: 'ollama' } }), {
      hostEnv: {},
    });
    expect(ollama.kind === 'process' && ollama.args.at(-1)).toBe(
      'model_providers.wg-ollama={ name = "Ollama", base_url = "http://localhost:11434/v1", wire_api = "responses" }',
    );
  });

  it('resumes a thread, honours WG_CODEX_BIN, and hands a huge prompt over on stdin', () => {
    const prompt = 'x'.repeat(200 * 1024);
    const spec = buildLaunch(makeContext({ profile: builtinProfile('codex'), resumeSessionId: 'thread-9', prompt }), {
      hostEnv: { WG_CODEX_BIN: '/bin/codex' },
    });
    expect(spec).toMatchObject({ command: wg, stdin: prompt });
    expect(spec.kind === 'process' && spec.args).toEqual([
      'codex-run',
      '--resume',
      'thread-9',
      '--',
      '/bin/codex',
      '-c',
      'allow_login_shell=false',
    ]);
  });

  it("takes no hooks: its holder hands it the task's messages (codex-app-server/codex-run.ts)", () => {
    const spec = buildLaunch(makeContext({ profile: builtinProfile('codex'), messageInbox: '/p/inbox/t1', prompt: 'P' }), { hostEnv: {} });
    expect(spec.kind === 'process' && spec.args.join(' ')).not.toMatch(/hook/);
  });
});

describe('message delivery hooks (core/messages/delivery-hooks.ts)', () => {
  const inbox = "/p/.workgraph/service/inbox/t'1";

  it('claude runs get PostToolUse and Stop hooks in --settings; the PostToolUse one starts wg only when the marker is there', () => {
    const spec = buildLaunch(makeContext({ messageInbox: inbox }), { hostEnv: {} });
    const args = spec.kind === 'process' ? spec.args : [];
    expect(args.slice(-2, -1)).toEqual(['--settings']);
    expect(JSON.parse(args.at(-1) ?? '{}')).toEqual({
      hooks: {
        PostToolUse: [
          { hooks: [{ type: 'command', command: `[ ! -e '/p/.workgraph/service/inbox/t'\\''1' ] || "$WG_BIN" msg hook post-tool-use` }] },
        ],
        Stop: [{ hooks: [{ type: 'command', command: '"$WG_BIN" msg hook stop' }] }],
      },
    });
  });
});

describe('shell launch', () => {
  it("runs the task's exec with bash -c, as upstream", () => {
    const spec = buildLaunch(makeContext({ profile: builtinProfile('shell'), task: makeTask({ exec: 'npm test && echo "ok"' }) }));
    expect(spec).toEqual({
      kind: 'process',
      command: 'bash',
      args: ['-c', 'npm test && echo "ok"'],
      env: {},
      stdin: null,
      cwd: '/work/project',
      output: 'plain',
    });
  });

  it('refuses a shell task without a command, saying how to fix it', () => {
    const build = () => buildLaunch(makeContext({ profile: builtinProfile('shell'), task: makeTask({ id: 'lint', exec: '  ' }) }));
    expect(build).toThrow(WgError);
    expect(build).toThrow(/task 'lint'.*no command.*wg edit lint --exec/);
  });
});

describe('cli launch', () => {
  const profile = makeProfile({
    type: 'cli',
    name: 'aider',
    command: 'aider',
    args: ['--model={model}', '--message', '{prompt}', '--dir', '{cwd}', 'task-{task_id}'],
  });

  it('substitutes each template inside its own argument, once, without a shell', () => {
    const prompt = 'fix {cwd} "now"; rm -rf / $(whoami)';
    const spec = buildLaunch(makeContext({ profile, model, prompt, task: makeTask({ id: 't1' }) }));
    expect(spec).toEqual({
      kind: 'process',
      command: 'aider',
      args: ['--model=sonnet', '--message', prompt, '--dir', '/work/project', 'task-t1'],
      env: {},
      stdin: null,
      cwd: '/work/project',
      output: 'plain',
    });
  });

  it('leaves {model} empty when no model was chosen, and sends the prompt on stdin when no argument takes it', () => {
    const spec = buildLaunch(
      makeContext({ profile: makeProfile({ type: 'cli', command: 'agent', args: ['-m', '{model}'] }), prompt: 'P' }),
    );
    expect(spec).toMatchObject({ args: ['-m', ''], stdin: 'P' });
  });

  it('refuses a cli profile without a command', () => {
    expect(() => buildLaunch(makeContext({ profile: makeProfile({ type: 'cli', name: 'broken' }) }))).toThrow(
      /executor 'broken'.*no command/,
    );
  });
});

describe('http launch', () => {
  const profile = makeProfile({ type: 'http', name: 'remote', endpoint: 'https://agents.example/run', method: 'PUT' });

  it("posts the task, agent, callback and heartbeat URLs and the run's own credential, never the project token", () => {
    const task = makeTask({ id: 'api-docs', title: 'Docs', description: 'D', after: ['schema'], tags: ['docs'] });
    const spec = buildLaunch(makeContext({ profile, task, model, prompt: 'P', apiUrl: 'http://127.0.0.1:7070/', apiToken: 'tok' }));
    expect(JSON.stringify(spec)).not.toContain('"tok"');
    expect(verifyRunCredential('tok', runCredential('tok', 'agent-1', 'run-1'))).toEqual({ agentId: 'agent-1', runId: 'run-1' });
    expect(spec).toEqual({
      kind: 'http',
      endpoint: 'https://agents.example/run',
      method: 'PUT',
      payload: {
        task: {
          id: 'api-docs',
          title: 'Docs',
          description: 'D',
          after: ['schema'],
          tags: ['docs'],
          priority: 'normal',
          artifacts: [],
          retry_count: 0,
        },
        agent_id: 'agent-1',
        run_id: 'run-1',
        prompt: 'P',
        model: 'sonnet',
        api_url: 'http://127.0.0.1:7070',
        callback_url: 'http://127.0.0.1:7070/api/task/api-docs/complete',
        heartbeat_url: 'http://127.0.0.1:7070/api/agent/agent-1/heartbeat',
        token: runCredential('tok', 'agent-1', 'run-1'),
      },
    });
  });

  it('defaults to POST and refuses to launch without an API to report to', () => {
    const post = makeProfile({ type: 'http', endpoint: 'https://a.example' });
    expect(buildLaunch(makeContext({ profile: post, apiUrl: 'http://h' }))).toMatchObject({ method: 'POST' });
    expect(() => buildLaunch(makeContext({ profile: post }))).toThrow(/needs the service API/);
  });
});

describe('passive and scheduled launches', () => {
  it('external and manual tasks are not started', () => {
    expect(buildLaunch(makeContext({ profile: builtinProfile('external') }))).toEqual({ kind: 'external' });
    expect(buildLaunch(makeContext({ profile: builtinProfile('pilot') }))).toEqual({ kind: 'manual' });
  });

  it("a scheduled task runs with the coordinator's default executor", () => {
    const shellDefault = buildLaunch(
      makeContext({
        profile: builtinProfile('scheduled'),
        settings: makeSettings({ executor: 'shell' }),
        task: makeTask({ exec: 'make nightly' }),
      }),
    );
    expect(shellDefault).toMatchObject({ kind: 'process', command: 'bash', args: ['-c', 'make nightly'] });

    const custom = makeProfile({ type: 'cli', name: 'mine', command: 'mine', args: ['{task_id}'] });
    const customDefault = buildLaunch(makeContext({ profile: builtinProfile('scheduled'), settings: makeSettings({ executor: 'mine' }) }), {
      profiles: [custom],
    });
    expect(customDefault).toMatchObject({ command: 'mine', args: ['build-parser'] });
  });

  it('refuses a schedule whose default executor is itself a schedule, or unknown', () => {
    const ctx = (executor: string) => makeContext({ profile: builtinProfile('scheduled'), settings: makeSettings({ executor }) });
    expect(() => buildLaunch(ctx('scheduled'))).toThrow(/schedule executor/);
    expect(() => buildLaunch(ctx('nope'))).toThrow(/no executor 'nope'/);
  });
});

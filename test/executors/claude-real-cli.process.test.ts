import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildLaunch, buildPrompt, resolveModel, shouldRetryFresh } from '../../src/core/executors';
import { buildTriageLaunch, triageVerdictFromEvents } from '../../src/core/runs/triage';
import type { RunEvent } from '../../src/shared/run-event';
import { CLAUDE_BIN, claudeAgentEnv } from '../fixtures/claude-env';
import {
  bash,
  startFakeAnthropic,
  text,
  thinking,
  toolResultsOf,
  type FakeAnthropic,
  type ScriptTurn,
  type FakeAnthropicOptions,
} from '../fixtures/fake-anthropic';
import { builtinProfile, makeAgent, makeContext, makeRegistry, makeSettings } from '../fixtures/objects';
import { runProcessLaunch } from '../fixtures/run-launch';
import { makeWgProject, type WgProject } from '../fixtures/wg-project';

/**
 * The claude executor's LaunchSpec run by the REAL Claude Code CLI (node_modules/.bin/claude),
 * offline against the fake Anthropic API; its Bash tool really runs `wg` in a temp project.
 */
const hostEnv = { WG_CLAUDE_BIN: CLAUDE_BIN };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  turns: ScriptTurn[],
  options: FakeAnthropicOptions = {},
): Promise<{ project: WgProject; fake: FakeAnthropic; env: Record<string, string> }> {
  const project = makeWgProject('wg-claude-cli-');
  cleanups.push(() => project.remove());
  project.wg('add', 'Say hello', '--id', 'hello');
  const fake = await startFakeAnthropic(turns, options);
  cleanups.push(() => fake.close());
  const env = claudeAgentEnv({
    fakeUrl: fake.url,
    home: project.home,
    binDir: project.binDir,
    wgDir: project.dir,
    taskId: 'hello',
    agentId: 'agent-1',
  });
  return { project, fake, env };
}

async function claudeLaunch(project: WgProject, resumeSessionId: string | null = null) {
  const task = await project.show('hello');
  const settings = makeSettings({ model: 'haiku' });
  const profile = builtinProfile('claude');
  const model = resolveModel({ task, profile, settings, registry: makeRegistry() });
  const ctx = makeContext({
    task,
    agent: makeAgent({ id: 'agent-1', task_id: 'hello' }),
    profile,
    model,
    settings,
    cwd: project.dir,
    prompt: buildPrompt({ task, dependencies: [], wgPath: 'wg' }),
    resumeSessionId,
  });
  return buildLaunch(ctx, { hostEnv });
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) =>
  events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

describe('claude executor, real Claude Code CLI against the fake API', () => {
  it('does the task through wg and streams session, tool calls with results, and the result', async () => {
    const { project, fake, env } = await setup([
      [thinking('Log first.'), bash('wg log $WG_TASK_ID "hello from claude"', 'Log progress')],
      [bash('wg done $WG_TASK_ID', 'Mark the task done')],
      [text('All done')],
    ]);
    const run = await runProcessLaunch(await claudeLaunch(project), env);
    expect(run.exitCode, run.stderr).toBe(0);

    const task = await project.show('hello');
    expect(task.status).toBe('done');
    // Logged by the agent itself: WG_AGENT_ID reached the Bash tool's environment.
    expect(task.log.find((e) => e.message === 'hello from claude')?.actor).toBe('agent-1');

    const [session] = ofType(run.events, 'session');
    expect(session?.session_id).toMatch(/^[0-9a-f-]{36}$/);
    const uses = ofType(run.events, 'tool_use');
    expect(uses.map((u) => [u.name, (u.input as { command?: string }).command])).toEqual([
      ['Bash', 'wg log $WG_TASK_ID "hello from claude"'],
      ['Bash', 'wg done $WG_TASK_ID'],
    ]);
    const results = ofType(run.events, 'tool_result');
    expect(results.map((r) => r.tool_use_id)).toEqual(uses.map((u) => u.id));
    expect(results.every((r) => !r.is_error)).toBe(true);
    expect(results[1]?.output).toContain('done');
    const [result] = ofType(run.events, 'result');
    expect(result).toMatchObject({ is_error: false, text: 'All done', turns: 3 });
    expect(result?.cost_usd).toBeGreaterThan(0);
    expect(result?.tokens_in).toBeGreaterThan(0);
    expect(result?.tokens_out).toBeGreaterThan(0);

    // What reached the API: our model and prompt, and each turn's tool output sent back.
    const conversation = fake.conversation();
    expect(conversation).toHaveLength(3);
    const first = conversation[0]?.body as { model: string; messages: unknown[] };
    expect(first.model).toContain('haiku');
    expect(JSON.stringify(first.messages)).toContain('wg done hello');
    const sentBack = conversation[1] ? toolResultsOf(conversation[1]) : [];
    expect(sentBack).toEqual([{ tool_use_id: uses[0]?.id, content: expect.stringContaining('hello'), is_error: false }]);
  });

  it('resumes the session on a retry, and tells when a session cannot be resumed', async () => {
    const { project, fake, env } = await setup([[text('First run.')], [text('Resumed.')]]);
    const first = await runProcessLaunch(await claudeLaunch(project), env);
    const sessionId = ofType(first.events, 'session')[0]?.session_id ?? '';
    expect(first.exitCode, first.stderr).toBe(0);

    const resumed = await runProcessLaunch(await claudeLaunch(project, sessionId), env);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(ofType(resumed.events, 'session')[0]?.session_id).toBe(sessionId);
    expect(ofType(resumed.events, 'text').map((e) => e.text)).toEqual(['Resumed.']);
    expect(JSON.stringify(fake.conversation().at(-1)?.body)).toContain('First run.');
    expect(shouldRetryFresh(resumed.exitCode, resumed.events)).toBe(false);

    const missing = await runProcessLaunch(await claudeLaunch(project, randomUUID()), env);
    expect(missing.exitCode).not.toBe(0);
    expect(shouldRetryFresh(missing.exitCode, missing.events)).toBe(true);
  });

  it('runs a tool-less triage with the triage model and reads its verdict', async () => {
    const { project, fake, env } = await setup([[text('{"verdict": "done", "reason": "wg done ran"}')]], { toolless: 'script' });
    const { spec } = buildTriageLaunch({
      task: await project.show('hello'),
      lastEvents: [{ type: 'text', text: 'marked it done' }],
      settings: makeSettings(),
      registry: makeRegistry(),
      cwd: project.dir,
      hostEnv,
    });
    const run = await runProcessLaunch(spec, env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(triageVerdictFromEvents(run.events)).toBe('done');
    const request = fake.conversation()[0]?.body as { model: string; tools?: unknown[]; messages: unknown[] };
    expect(request.model).toContain('haiku');
    expect(request.tools ?? []).toEqual([]);
    expect(JSON.stringify(request.messages)).toContain('marked it done');
  });
});

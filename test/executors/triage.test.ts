import { describe, expect, it } from 'vitest';
import { buildTriageLaunch, buildTriagePrompt, parseTriageVerdict, triageVerdictFromEvents } from '../../src/core/runs/triage';
import type { RunEvent } from '../../src/shared/run-event';
import { makeRegistry, makeSettings, makeTask } from '../fixtures/objects';

describe('parseTriageVerdict', () => {
  it.each([
    ['done', 'done'],
    ['Done.', 'done'],
    ['**RESTART**', 'restart'],
    ['running', 'running'],
    ['in-progress', 'running'],
    ['{"verdict": "done", "reason": "finished"}', 'done'],
    ['```json\n{"Verdict":"Restart","reason":"tests fail"}\n```', 'restart'],
    ['{"decision":"still running"}', 'running'],
    ['I looked at the output. Verdict: running', 'running'],
    ['The task is not done; it should be restarted.', 'restart'],
    ['The agent finished the work but never reported it, so: done', 'done'],
    ['It is no longer running. restart', 'restart'],
    ['', 'restart'],
    ['I cannot tell.', 'restart'],
    ['{"verdict": 3}', 'restart'],
  ] as const)('%j → %s', (text, verdict) => {
    expect(parseTriageVerdict(text)).toBe(verdict);
  });

  it('reads the verdict from the result of a triage run, else from its text', () => {
    const result: RunEvent = { type: 'result', is_error: false, text: 'running', cost_usd: 0, tokens_in: 1, tokens_out: 1, turns: 1 };
    expect(triageVerdictFromEvents([{ type: 'text', text: 'done' }, result])).toBe('running');
    expect(triageVerdictFromEvents([{ type: 'text', text: 'done' }])).toBe('done');
  });
});

describe('buildTriagePrompt', () => {
  it('shows the task, its log and the last output, and asks for one of the three verdicts', () => {
    const events: RunEvent[] = [
      ...Array.from({ length: 50 }, (_, i): RunEvent => ({ type: 'text', text: `step ${i}` })),
      { type: 'tool_use', id: 't', name: 'Bash', input: { command: 'npm test' } },
      { type: 'tool_result', tool_use_id: 't', output: '3 failing', is_error: true },
    ];
    const prompt = buildTriagePrompt(
      makeTask({ id: 'fix-tests', title: 'Fix tests', log: [{ timestamp: 't', actor: 'agent-1', message: 'started' }] }),
      events,
    );
    expect(prompt).toContain('Task fix-tests: Fix tests');
    expect(prompt).toContain('[t agent-1] started');
    expect(prompt).toContain('(40 of 52 events, oldest first)');
    expect(prompt).not.toContain('step 11\n');
    expect(prompt).toContain('step 12');
    expect(prompt).toContain('tool call Bash: {"command":"npm test"}');
    expect(prompt).toContain('tool result (error): 3 failing');
    for (const word of ['- done:', '- running:', '- restart:', '"verdict"']) expect(prompt).toContain(word);
  });
});

describe('buildTriageLaunch', () => {
  it('runs claude with the triage model from the registry, no tools, prompt on stdin', () => {
    const registry = makeRegistry([
      { name: 'cheap', provider: 'anthropic', model_id: 'claude-haiku-4-5', tier: 'fast', cost_in: null, cost_out: null, builtin: false },
    ]);
    const { spec, model } = buildTriageLaunch({
      task: makeTask(),
      lastEvents: [],
      settings: makeSettings({ triage_model: 'cheap' }),
      registry,
      cwd: '/p',
      hostEnv: {},
    });
    expect(model).toMatchObject({ name: 'cheap', source: 'coordinator' });
    expect(spec).toMatchObject({
      kind: 'process',
      command: 'claude',
      cwd: '/p',
      output: 'claude-stream-json',
      args: [
        '--print',
        '--output-format',
        'stream-json',
        '--verbose',
        '--model',
        'claude-haiku-4-5',
        '--tools',
        '',
        '--no-session-persistence',
      ],
    });
    expect(spec.kind === 'process' && spec.stdin).toContain('Answer with exactly one word');
  });

  it("takes the triage role's route first (wg model set triage opus)", () => {
    const { spec, model } = buildTriageLaunch({
      task: makeTask(),
      lastEvents: [],
      settings: makeSettings(),
      registry: makeRegistry([], { triage: 'opus' }),
      cwd: '/p',
      hostEnv: {},
    });
    expect(model).toMatchObject({ name: 'opus', source: 'role' });
    expect(spec.kind === 'process' && spec.args).toEqual(expect.arrayContaining(['--model', 'opus']));
  });
});

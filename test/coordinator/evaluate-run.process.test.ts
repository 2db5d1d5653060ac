import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { startFakeAnthropic, text, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';
import { TempProject } from '../helpers/wg-cli';

/**
 * `wg evaluate run ID` (what upstream's `.evaluate-ID` tasks run): the coordinator's evaluator, a
 * real Claude Code run against a scripted model, scores the task now and the command returns with
 * the score recorded; `--dry-run` shows the prompt without a run.
 */
let fake: FakeAnthropic;
let p: DaemonProject;
const asked: string[] = [];
/** The model of each evaluator request. */
const models: string[] = [];

beforeAll(async () => {
  fake = await startFakeAnthropic([], {
    toolless: 'script',
    respond: (request) => {
      const said = JSON.stringify((request as { messages?: unknown }).messages ?? []);
      asked.push(said);
      if (!said.includes('Evaluator Instructions')) return [text('ok')];
      models.push(String((request as { model?: unknown }).model));
      // The API's answer to a model it does not have.
      if ((request as { model?: unknown }).model === 'sonet') return { status: 404, type: 'not_found_error', message: 'model: sonet' };
      return [
        text(`\`\`\`json\n${JSON.stringify({ score: 0.85, dimensions: { correctness: 0.9, completeness: 0.8 }, notes: 'solid' })}\n\`\`\``),
      ];
    },
  });
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-evaluate-run-', env, isolatedHostEnv());
  mkdirSync(join(p.root, 'home'), { recursive: true });
  Object.assign(env, claudeEnv(fake.url, join(p.root, 'home')));
  await p.init();
  await p.ok(['config', '--executor', 'manual']);
  await p.ok(['add', 'Write the report', '--id', 'report', '-d', 'Summarise the findings.']);
  await p.ok(['add', 'Not started', '--id', 'later']);
  await p.ok(['done', 'report']);
  await p.start();
}, 120_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

describe('wg evaluate run', () => {
  it('--dry-run prints what the evaluator would be asked, and runs nothing', async () => {
    const prompt = await p.ok(['evaluate', 'run', 'report', '--dry-run']);
    expect(prompt).toContain('Write the report');
    expect(prompt).toContain('Evaluator Instructions');
    expect(asked.filter((s) => s.includes('Evaluator Instructions'))).toHaveLength(0);
  });

  it("scores a done task now and returns with the evaluator's score recorded", async () => {
    const out = await p.ok(['evaluate', 'run', 'report']);
    expect(out).toContain("Evaluated 'report' (now done)");
    const task = JSON.parse(await p.ok(['show', 'report', '--json'])) as Task;
    expect(task.evaluation).toMatchObject({ score: 0.85, dimensions: { correctness: 0.9, completeness: 0.8 }, source: 'llm' });
    expect(task.status).toBe('done');
  }, 120_000);

  it('--evaluator-model runs the evaluator with that model (upstream evaluate.rs: it goes before the evaluator route)', async () => {
    models.length = 0;
    await p.ok(['evaluate', 'run', 'report', '--evaluator-model', 'claude-opus-4-1-test']);
    expect(models).toEqual(['claude-opus-4-1-test']);
    const task = JSON.parse(await p.ok(['show', 'report', '--json'])) as Task;
    expect(task.evaluation?.evaluator).toBe('claude:claude-opus-4-1-test');
    expect(task.log.map((e) => e.message)).toContain(
      'Evaluation started --executor claude --model claude-opus-4-1-test (role evaluator: model from --evaluator-model)',
    );
    models.length = 0;
    await p.ok(['evaluate', 'run', 'report']);
    expect(models).not.toContain('claude-opus-4-1-test');
  }, 120_000);

  it('fails, saying why, when the evaluator gives no score, instead of printing the score there was as its own', async () => {
    const before = JSON.parse(await p.ok(['show', 'report', '--json'])) as Task;
    const result = await p.wg(['evaluate', 'run', 'report', '--evaluator-model', 'sonet']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).not.toContain('Evaluated');
    expect(result.stderr).toMatch(/^wg: no score recorded for 'report': the evaluator gave no score: it exited with code 1: .*sonet/);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect((JSON.parse(await p.ok(['show', 'report', '--json'])) as Task).evaluation).toEqual(before.evaluation);
  }, 120_000);

  it('refuses a task with no work yet, in one line', async () => {
    const result = await p.wg(['evaluate', 'run', 'later']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe("wg: task 'later' is open: there is no work to evaluate yet");
  });
});

describe('wg evaluate run --dry-run with no coordinator running', () => {
  const idle = new TempProject('wg-evaluate-dry-');
  afterAll(() => idle.remove());

  it('prints the prompt, built in-process as upstream reads local files only; a real run still needs the service', async () => {
    await idle.ok(['init']);
    await idle.ok(['add', 'Write the summary', '--id', 'summary', '-d', 'Two paragraphs.']);
    await idle.ok(['claim', 'summary', '--agent', 'someone']);
    await idle.ok(['done', 'summary']);
    const before = await idle.ok(['show', 'summary', '--json']);
    const prompt = await idle.ok(['evaluate', 'run', 'summary', '--dry-run']);
    expect(prompt).toContain('Write the summary');
    expect(prompt).toContain('Evaluator Instructions');
    // Nothing run, nothing changed.
    expect(await idle.ok(['show', 'summary', '--json'])).toBe(before);
    expect(await idle.wg(['evaluate', 'run', 'summary'])).toMatchObject({
      exitCode: 1,
      stderr: "wg: the coordinator is not running (start it with 'wg service start')",
    });
    expect((await idle.wg(['evaluate', 'run', 'nothing', '--dry-run'])).stderr).toBe("wg: task 'nothing' not found");
  });
});

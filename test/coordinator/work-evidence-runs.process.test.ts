import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, taskOf, text, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';

/**
 * Evidence of work is the run's own, in a project that is not a git repository (every run shares
 * the project folder): audit-26 saw a Claude agent whose only tool call was a read-only Bash marked
 * done because a shell task wrote a file meanwhile, and a plain cli program that really wrote its
 * report, alone, failed as "exited without reporting or changing anything". Real Claude Code
 * against a scripted model server; the two overlapping runs wait for each other through files
 * outside the project (no fixed sleeps).
 */
let anthropic: FakeAnthropic;
let p: DaemonProject;
let home = '';
let marks = '';

beforeAll(async () => {
  marks = mkdtempSync(join(tmpdir(), 'wg-evidence-marks-'));
  anthropic = await startFakeAnthropic([], {
    respond: (body, turn) => {
      if (taskOf(body) !== 'reader') return undefined;
      // Says it is looking, then waits until the writer has written, and only lists the folder.
      const look = `touch ${marks}/reading; while [ ! -e ${marks}/written ]; do sleep 0.1; done; ls`;
      return [[bash(look, 'Look around')], [text('Everything is fine.')]][turn];
    },
  });
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-evidence-runs-', env, isolatedHostEnv());
  home = mkdtempSync(join(tmpdir(), 'wg-evidence-home-'));
  Object.assign(env, claudeEnv(anthropic.url, home), { CLAUDE_CODE_MAX_RETRIES: '0' });
  await p.init();
  await p.ok(['config', '--max-agents', '4']);
  // A plain program as an agent (its output is text, not a CLI's stream): it writes its report and exits 0.
  await p.ok(['executor', 'add', 'reporter', '--type', 'cli', '--command', 'sh', '--args', `-c 'echo findings > report.txt'`]);
  await p.start();
});
afterAll(async () => {
  await p.remove();
  await anthropic.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(marks, { recursive: true, force: true });
});

const settled = (id: string, ...statuses: Task['status'][]) =>
  p.waitFor(`${id} to be ${statuses.join(' or ')}`, async () => (statuses.includes((await p.task(id)).status) ? p.task(id) : null), 90_000);

describe('evidence of work in a shared project folder', () => {
  it("another run's new file is no evidence of an agent whose only tool call was a read-only Bash", async () => {
    await p.ok(['add', 'reader', '--id', 'reader', '--model', 'haiku']);
    await p.ok([
      'add',
      'writer',
      '--id',
      'writer',
      '--executor',
      'shell',
      '--exec',
      `while [ ! -e ${marks}/reading ]; do sleep 0.1; done; echo theirs > other.txt; touch ${marks}/written`,
    ]);
    expect((await settled('writer', 'done', 'failed')).status).toBe('done');
    const reader = await settled('reader', 'done', 'failed');
    const writerAgent = (await p.agentsOf('writer'))[0]?.id;
    expect(reader.failure_reason).toBe(
      `agent exited without wg done, and the project folder's changes cannot be told to be its own (other runs worked there meanwhile: ${writerAgent}); report with wg done, or give it a worktree`,
    );
    expect((await p.agentsOf('reader'))[0]).toMatchObject({ state: 'failed', exit_code: 0 });
  });

  it('a plain program that wrote a file while no other run worked there is done', async () => {
    await p.ok(['add', 'report', '--id', 'report', '--executor', 'reporter']);
    const task = await settled('report', 'done', 'failed');
    expect(task.failure_reason).toBeNull();
    expect(task.status).toBe('done');
    expect(readFileSync(join(p.root, 'report.txt'), 'utf8')).toBe('findings\n');
  });
});

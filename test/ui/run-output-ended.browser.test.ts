import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeTask } from '../renderer/support/fixtures';
import { launchBrowser, screenshot } from './harness';
import { goTo } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/** The output of a run that has ended says so, where a running one says it follows live output. */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(async (project) => {
    await project.seed(
      [makeTask({ id: 'reports-9', title: 'Cache reports queries', status: 'failed', failure_reason: 'exit code 1' })],
      [makeAgent({ id: 'agent-3', task_id: 'reports-9', state: 'failed', exit_code: 1, started_at: new Date().toISOString() })],
    );
    project.appendOutput(
      'agent-3',
      Array.from({ length: 40 }, (_, k) => ({ type: 'raw' as const, text: `step ${k} of 40: compiling module ${k}` })),
    );
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the output of an ended run', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`says the run ended, not that it follows live output (${scheme})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
      await page.goto(server.url);
      await page.locator('.react-flow').waitFor();
      await goTo(page, 'Run output');
      const bar = page.locator('.output-bar');
      await bar.getByText('run ended').waitFor();
      expect(await bar.textContent()).not.toContain('following live output');
      await screenshot(page, `run-output-ended-${scheme}`);
      await page.close();
    });
  }
});

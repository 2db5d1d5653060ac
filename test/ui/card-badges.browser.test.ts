import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITY_VALUES } from '../../src/shared/task';
import { makeAgent, makeTask } from '../renderer/support/fixtures';
import { graphAtRest, launchBrowser, openApp, screenshot } from './harness';
import { card } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/** A card whose badges (priority, score, awaiting a score) fill its top line still says its state whole ("do…" it said). */
let server: TestServer;
let browser: Browser;
let page: Page;

const CRITICAL = { priority: 'critical', priority_value: PRIORITY_VALUES.critical } as const;
const scored = { score: 0.82, dimensions: {}, evaluator: 'judge', notes: null, timestamp: '2026-01-01T00:00:00Z' };

beforeAll(async () => {
  server = await startTestServer({
    tasks: [
      makeTask({ id: 'shipped', title: 'Ship the release', status: 'done', ...CRITICAL, evaluation: scored }),
      makeTask({ id: 'judged', title: 'Write the migration', status: 'pending-eval', ...CRITICAL }),
      makeTask({ id: 'queued', title: 'Tag the build', ...CRITICAL, after: ['judged'] }),
    ],
    // An evaluator at work on the scored task: one more badge on its top line.
    agents: [makeAgent({ id: 'agent-7', task_id: 'shipped', purpose: 'evaluate', state: 'working', started_at: new Date().toISOString() })],
  });
  browser = await launchBrowser();
  page = (await openApp(browser, server.url)).page;
  await card(page, 'shipped').waitFor();
  await graphAtRest(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a card full of badges', () => {
  it.each(['shipped', 'judged', 'queued'])('%s says its state whole', async (id) => {
    const state = card(page, id).locator('.task-card-state-text');
    const first = (await state.textContent())?.split(/[\s:]/)[0] ?? '';
    expect(first).not.toBe('');
    // The first word's right edge is inside the box that shows the words (an ellipsis cuts what runs past it).
    const past = await state.evaluate((element, word) => {
      const text = [...element.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim());
      if (!text) return Number.POSITIVE_INFINITY;
      const range = document.createRange();
      const start = (text.textContent ?? '').indexOf(word);
      range.setStart(text, start);
      range.setEnd(text, start + word.length);
      return range.getBoundingClientRect().right - element.getBoundingClientRect().right;
    }, first);
    expect(past).toBeLessThanOrEqual(0.5);
    await screenshot(page, 'card-badges');
  });
});

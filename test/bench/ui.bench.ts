/**
 * UI benchmark (not part of the tests): `npx tsx test/bench/ui.bench.ts` after building the renderer.
 *
 * Runs the built renderer in headless Chromium against the in-process browser-mode stand-in
 * (test/ui/test-server.ts), which speaks the daemon's HTTP API and event stream; it lets the
 * benchmark drive 100 status changes a second and a million-event run directly. Prints medians of:
 *  1. time to first paint of a 2,000-task graph with its layout (goal ≤ 1 s),
 *  2. frames per second while 100 task statuses change per second (goal ≥ 50),
 *  3. JS heap of the output view over a run of 1,000,000 events (goal ≤ 200 MB).
 * In-page code is passed as strings: this file is type-checked without the DOM library.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunEvent } from '../../src/shared/run-event';
import type { Task, TaskStatus } from '../../src/shared/task';
import { makeAgent, makeTask } from '../renderer/support/fixtures';
import { median } from './stats';
import { FakeWorkgraph } from '../renderer/support/fake-workgraph';
import { launchBrowser, RENDERER_DIR } from '../ui/harness';
import { startTestServer, type TestServer } from '../ui/test-server';

const TASKS = 2000;
const GROUP = 50;
const PAINT_RUNS = 5;
const FPS_RUNS = 3;
const FPS_WINDOW_MS = 5000;
const CHANGES_PER_SECOND = 100;
const EVENTS = 1_000_000;
const HEAP_RUNS = 3;
const MB = 1024 * 1024;

/** 40 groups of 50 tasks; inside a group a tree with some extra links, every 4 groups chained. */
function bigGraph(): Task[] {
  const tasks: Task[] = [];
  for (let i = 0; i < TASKS; i++) {
    const group = Math.floor(i / GROUP);
    const k = i % GROUP;
    const after: string[] = [];
    if (k === 0 && group % 4 !== 0) after.push(`t${i - 1}`);
    if (k > 0) after.push(`t${group * GROUP + Math.floor((k - 1) / 2)}`);
    if (k > 3 && k % 7 === 0) after.push(`t${i - 3}`);
    const status: TaskStatus = k < 10 ? 'done' : k < 14 ? 'in-progress' : 'open';
    tasks.push(makeTask({ id: `t${i}`, title: `Task ${i} of group ${group}`, after, status, tags: [`group-${group}`] }));
  }
  return tasks;
}

/** A plausible agent run: text, thinking, tool calls with results, now and then a final result. */
function eventAt(i: number): RunEvent {
  switch (i % 6) {
    case 0: return { type: 'text', text: `Step ${i}: reading the next file and checking the tests.` };
    case 1: return { type: 'thinking', text: `I should look at module ${i % 97} before changing it.\nThen run the tests.` };
    case 2: return { type: 'tool_use', id: `tu${i}`, name: 'Bash', input: { command: `npm test -- --grep case-${i}` } };
    case 3: return { type: 'tool_result', tool_use_id: `tu${i - 1}`, output: `ok ${i}\n1 passing`, is_error: false };
    case 4: return { type: 'text', text: `Tests for case ${i} pass.` };
    default: return { type: 'result', is_error: false, text: `checkpoint ${i}`, cost_usd: i / 1e6, tokens_in: i, tokens_out: i / 10, turns: i % 50 };
  }
}

/** Polls an expression in the page (string predicates of waitForFunction would need 'unsafe-eval'). */
async function waitForValue(page: Page, expression: string, timeoutMs = 60_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value: unknown = await page.evaluate(expression);
    if (value !== undefined && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(20);
  }
}

// Records when the first task card is in the DOM (it only appears once laid out), then the frame after.
const FIRST_PAINT_PROBE = `
  new MutationObserver((_, observer) => {
    if (!document.querySelector('.react-flow__node-task')) return;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__wgFirstPaint = performance.now(); }));
  }).observe(document, { childList: true, subtree: true });
`;

async function openGraph(browser: Browser, server: TestServer): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript({ content: FIRST_PAINT_PROBE });
  await page.goto(`${server.origin}/#token=${server.token}`);
  await waitForValue(page, 'window.__wgFirstPaint');
  return page;
}

async function firstPaint(browser: Browser, server: TestServer): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < PAINT_RUNS; run++) {
    const page = await openGraph(browser, server);
    times.push(Number(await page.evaluate('window.__wgFirstPaint')));
    const nodes = Number(await page.evaluate(`document.querySelectorAll('.react-flow__node-task').length`));
    if (run === 0) console.log(`  (${nodes} cards rendered in the viewport; the rest are laid out, drawn when scrolled to)`);
    await page.close();
  }
  return times;
}

/** Frames counted with requestAnimationFrame in the page while statuses change in the store. */
async function framesPerSecond(page: Page, fake: FakeWorkgraph): Promise<number> {
  const statuses: TaskStatus[] = ['open', 'in-progress', 'done', 'failed'];
  let n = 0;
  // 10 separate writes every 100 ms: 100 changes a second, each its own revision and change event.
  const timer = setInterval(() => {
    for (let i = 0; i < CHANGES_PER_SECOND / 10; i++) {
      n++;
      const id = `t${(n * 7919) % TASKS}`;
      fake.update(id, { status: statuses[n % statuses.length] });
    }
  }, 100);
  const frames = Number(
    await page.evaluate(`new Promise((resolve) => {
      let frames = 0;
      const end = performance.now() + ${FPS_WINDOW_MS};
      const tick = () => { frames++; if (performance.now() < end) requestAnimationFrame(tick); else resolve(frames); };
      requestAnimationFrame(tick);
    })`),
  );
  clearInterval(timer);
  return frames / (FPS_WINDOW_MS / 1000);
}

async function heapOfOutputView(browser: Browser, server: TestServer): Promise<{ heap: number; pages: string; rows: number }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${server.origin}/#token=${server.token}`);
  await page.locator('.react-flow__node-task').first().waitFor({ timeout: 60_000 });
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: /^Run output/ }).click();
  await page.getByRole('combobox', { name: 'Agent' }).selectOption('agent-big');
  await page.getByTestId('event-count').filter({ hasText: '1,000,000 events' }).waitFor({ timeout: 60_000 });
  // Visit the start, several places in between and the tail, as a user scrolling around would.
  for (const fraction of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.33, 0.66, 1]) {
    await page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="output-scroll"]');
      el.scrollTop = (el.scrollHeight - el.clientHeight) * ${fraction};
    })()`);
    await page.waitForTimeout(300);
    await page.locator('.ev-row .ev:not(.ev-loading)').first().waitFor({ timeout: 30_000 });
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  const pages = String(await page.locator('.output-bar span').nth(1).textContent());
  const rows = await page.locator('.ev-row').count();
  await page.close();
  return { heap, pages, rows };
}

async function main(): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('build the renderer first: npx electron-vite build');
  const fake = new FakeWorkgraph();
  fake.seed(bigGraph(), [makeAgent({ id: 'agent-big', task_id: 't12', started_at: new Date().toISOString() })]);
  fake.setOutput('agent-big', EVENTS, eventAt);
  const server = await startTestServer(RENDERER_DIR, fake);
  const browser = await launchBrowser();
  try {
    console.log(`machine: ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(2)} at start (timings scale with other load)`);
    console.log(`UI benchmark: ${TASKS} tasks, ${CHANGES_PER_SECOND} status changes/s, ${EVENTS.toLocaleString()} output events`);

    const paints = await firstPaint(browser, server);
    console.log(`first paint with layout: median ${median(paints).toFixed(0)} ms  (runs: ${paints.map((t) => t.toFixed(0)).join(', ')}; goal ≤ 1000)`);

    const page = await openGraph(browser, server);
    await page.waitForTimeout(1000);
    const fps: number[] = [];
    for (let run = 0; run < FPS_RUNS; run++) fps.push(await framesPerSecond(page, fake));
    console.log(`fps during 100 changes/s (default view): median ${median(fps).toFixed(1)}  (runs: ${fps.map((f) => f.toFixed(1)).join(', ')}; goal ≥ 50)`);
    await page.getByRole('button', { name: 'Fit View' }).click();
    await page.waitForTimeout(1500);
    const fitFps: number[] = [];
    for (let run = 0; run < FPS_RUNS; run++) fitFps.push(await framesPerSecond(page, fake));
    console.log(`fps during 100 changes/s (all 2,000 cards on screen): median ${median(fitFps).toFixed(1)}  (runs: ${fitFps.map((f) => f.toFixed(1)).join(', ')})`);
    await page.close();

    const heaps: number[] = [];
    let detail = '';
    for (let run = 0; run < HEAP_RUNS; run++) {
      const result = await heapOfOutputView(browser, server);
      heaps.push(result.heap / MB);
      detail = `${result.pages}, ${result.rows} rows in the DOM`;
    }
    console.log(`JS heap, output view of 1,000,000 events: median ${median(heaps).toFixed(1)} MB  (runs: ${heaps.map((h) => h.toFixed(1)).join(', ')}; goal ≤ 200; ${detail})`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

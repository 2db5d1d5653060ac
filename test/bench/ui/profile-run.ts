/**
 * Where the window's time goes in one benchmark scenario (a tool, not a test): runs it in headless
 * Chromium against the browser-mode stand-in with Chromium's CPU profiler (Profiler domain) or its
 * performance trace (Tracing domain, MODE=trace) on, and prints the heaviest functions by self
 * time, or the main thread's time by trace event. The raw profile or trace is written to
 * /tmp/wg-<scenario>.cpuprofile or .trace.json, for DevTools' Performance panel.
 *
 *   npx electron-vite build   (WG_NO_MINIFY=1 keeps function names readable)
 *   PROFILE=first2000|first10000|pan|add|shot [MODE=trace] npx tsx test/bench/ui/profile-run.ts
 *   PROFILE=fit|there SHAPE=dag10000|dag50000|fan [MODE=trace] npx tsx test/bench/ui/profile-run.ts
 *
 * first2000/first10000: opening the window until the first card (a running one for 10,000) is
 * painted; pan: panning (PHASE=pan), zooming (PHASE=wheel) or both at ZOOM (default 0.7);
 * add: four added dependencies that move their dependent, the last one recorded; shot:
 * screenshots at ZOOM in light and dark; fit: a click on Fit and a pan there, on one of the UI
 * bench's plan shapes (shapes-bench.ts, SHAPE); there: a pan where its found task is shown, as the
 * bench's search leaves it. CATS overrides the trace categories. GRAPH=dag uses one
 * connected plan (connectedDag) instead of components of 200.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../ui/harness';
import { startTestServer } from '../../ui/test-server';
import { bigGraph, connectedDag, newDependency } from './big-graph';
import { addDependencyInPage, framesWhile, panAround, paintProbe, showFound, waitForValue, wheelAround, zoomTo } from './page-probes';
import { LONG_TASKS, SHAPES } from './shapes-bench';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
  pid: number;
  args?: { name?: string };
}

const DEFAULT_CATEGORIES = 'devtools.timeline,blink,cc,gpu,v8.execute,disabled-by-default-devtools.timeline';

function printProfile(profile: Profile, label: string): void {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byName = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber}:${f.columnNumber}`;
    byName.set(key, (byName.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  console.log(`\n== ${label}: ${(total / 1000).toFixed(0)} ms sampled (self time)`);
  for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
}

function printTrace(events: TraceEvent[], label: string): void {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const byName = new Map<string, number>();
  for (const e of events) {
    if (!main || e.tid !== main.tid || e.pid !== main.pid || e.ph !== 'X' || !e.dur) continue;
    byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur);
  }
  console.log(`\n== ${label}: main thread by trace event (inclusive ms)`);
  for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${(us / 1000).toFixed(1).padStart(8)}  ${name}`);
}

/** Runs `during` with the profiler or the tracer on, and prints and saves what it recorded. */
async function recorded(page: Page, label: string, during: () => Promise<void>): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  if (process.env.MODE === 'trace') {
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => events.push(...(e.value as TraceEvent[])));
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', { categories: process.env.CATS ?? DEFAULT_CATEGORIES, transferMode: 'ReportEvents' });
    await during();
    await cdp.send('Tracing.end');
    await complete;
    writeFileSync(`/tmp/wg-${label}.trace.json`, JSON.stringify({ traceEvents: events }));
    printTrace(events, label);
    return;
  }
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const since = Number(await page.evaluate('performance.now()'));
  await cdp.send('Profiler.start');
  await during();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  writeFileSync(`/tmp/wg-${label}.cpuprofile`, JSON.stringify(profile));
  printProfile(profile, label);
  // The long tasks (where the page records them: window.__wgLong), in ms from the profile's start, for reading it task by task.
  const long = ((await page.evaluate('window.__wgLong ?? []')) as Array<[number, number]>).filter(([start]) => start >= since);
  writeFileSync(`/tmp/wg-${label}.long.json`, JSON.stringify(long.map(([start, duration]) => [start - since, duration])));
  console.log(
    `long tasks (ms from the start, duration): ${long.map(([start, d]) => `${(start - since).toFixed(0)}+${d.toFixed(0)}`).join(', ')}`,
  );
}

async function firstView(page: Page, url: string, label: string): Promise<void> {
  await recorded(page, label, async () => {
    await page.goto(url);
    await waitForValue(page, 'window.__wgMark');
  });
  const [seen, painted] = (await page.evaluate('[window.__wgSeen, window.__wgMark]')) as [number, number];
  console.log(`card in the page at ${seen.toFixed(0)} ms, painted at ${painted.toFixed(0)} ms`);
}

async function panAndZoom(page: Page): Promise<void> {
  await zoomTo(page, Number(process.env.ZOOM ?? '0.7'));
  await page.waitForTimeout(500);
  await recorded(page, 'pan', async () => {
    if (process.env.PHASE !== 'wheel') console.log(`fps panning ${(await framesWhile(page, () => panAround(page))).toFixed(1)}`);
    if (process.env.PHASE !== 'pan') console.log(`fps zooming ${(await framesWhile(page, () => wheelAround(page))).toFixed(1)}`);
  });
  const count = (selector: string) => page.evaluate(`document.querySelectorAll(${JSON.stringify(selector)}).length`);
  console.log(
    `elements ${String(await count('*'))}, cards ${String(await count('.react-flow__node'))}, edges ${String(await count('.dep-edge'))}`,
  );
}

async function addDependencies(page: Page): Promise<void> {
  await zoomTo(page, 1);
  const times: number[] = [];
  for (let run = 0; run < 4; run++) {
    const { task, dependency } = newDependency(run * 7 + 3, 'moving');
    await page.getByRole('combobox', { name: 'Search tasks' }).fill(task);
    await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(700);
    const add = async () => {
      times.push(Number(await page.evaluate(addDependencyInPage(task, dependency))));
    };
    if (run === 3) await recorded(page, 'add', add);
    else await add();
  }
  console.log(`added dependency visible and settled (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`);
}

async function screenshots(page: Page): Promise<void> {
  await zoomTo(page, Number(process.env.ZOOM ?? '0.92'));
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/wg-shot-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(800);
  await page.screenshot({ path: '/tmp/wg-shot-dark.png' });
}

/** Fit and its pan, or a pan where a shape's found task is shown, as shapes-bench.ts makes them. */
async function onShape(browser: Awaited<ReturnType<typeof launchBrowser>>, scenario: string): Promise<void> {
  const shape = SHAPES[process.env.SHAPE ?? 'dag10000'];
  if (!shape) throw new Error(`unknown SHAPE: one of ${Object.keys(SHAPES).join(', ')}`);
  const server = await startTestServer({ tasks: shape.tasks() });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript({ content: paintProbe('.react-flow__node .task-card') });
    await page.addInitScript({ content: LONG_TASKS });
    await page.goto(`${server.origin}/#token=${server.token}`);
    await waitForValue(page, 'window.__wgMark', 180_000);
    await waitForValue(page, `!document.querySelector('.graph-status')`, 180_000);
    await page.waitForTimeout(Number(process.env.SETTLE ?? '1500'));
    if (scenario === 'fit') {
      await recorded(page, 'fit', async () => {
        await page.getByRole('button', { name: 'Fit view: every task' }).click();
        await page.waitForTimeout(800);
        console.log(`fps panning at Fit ${(await framesWhile(page, () => panAround(page))).toFixed(1)}`);
      });
      return;
    }
    await showFound(page, shape.found);
    await page.waitForTimeout(1500);
    await recorded(page, 'there', async () => {
      console.log(`fps panning there ${(await framesWhile(page, () => panAround(page))).toFixed(1)}`);
    });
    console.log(`edge elements ${String(await page.evaluate(`document.querySelectorAll('.dep-edges, .dep-edges *').length`))}`);
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const scenario = process.env.PROFILE ?? 'first2000';
  if (scenario === 'fit' || scenario === 'there') {
    const browser = await launchBrowser({ reducedMotion: false });
    try {
      await onShape(browser, scenario);
    } finally {
      await browser.close();
    }
    return;
  }
  const count = scenario === 'first2000' ? 2000 : 10_000;
  // GRAPH=dag: one connected plan (connectedDag) instead of components of 200.
  const server = await startTestServer({ tasks: process.env.GRAPH === 'dag' ? connectedDag(count) : bigGraph(count) });
  const browser = await launchBrowser({ reducedMotion: false });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const url = `${server.origin}/#token=${server.token}`;
    await page.addInitScript({
      content: paintProbe(count === 2000 ? '.react-flow__node-task' : '.react-flow__node .task-card[data-state="running"]'),
    });
    if (scenario.startsWith('first')) {
      await firstView(page, url, scenario);
      return;
    }
    await page.goto(url);
    await waitForValue(page, 'window.__wgMark');
    await waitForValue(page, `!document.querySelector('.graph-status')`, 120_000);
    if (scenario === 'pan') await panAndZoom(page);
    else if (scenario === 'add') await addDependencies(page);
    else if (scenario === 'shot') await screenshots(page);
    else throw new Error(`unknown PROFILE=${scenario}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

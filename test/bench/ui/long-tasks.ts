/**
 * What the page's long tasks are made of (a tool, not a test): opens a plan shape in headless
 * Chromium with Chromium's performance trace and its sampling profiler on, and for every main-thread
 * task over 50 ms prints its length and the functions that took its time (self and total), from the
 * trace's own samples (the same clock as the tasks). The raw trace is written to
 * /tmp/wg-long-<shape>-<action>.trace.json for DevTools' Performance panel.
 *
 *   npx electron-vite build   (WG_NO_MINIFY=1 keeps function names readable)
 *   SHAPE=fan|chain|wide|dag10000|dag50000 ACTION=open|pan|fit|there|link|status npx tsx test/bench/ui/long-tasks.ts
 *   (THREAD=worker: the layout worker's tasks instead of the window's)
 *
 * open: from navigation to the layout done; pan: panning the first view; fit: Fit (every task in view), then
 * panning there; there: going to the
 * shape's found task with the search and panning there; link: one dependency added that moves its
 * dependent (drawn and settled); status: the running tasks finish one after another, then the tasks they held start
 * (a status change arriving every 400 ms, as a plan at work sends them); search: the found task's words typed into the
 * search as a person types them (80 ms a key), then Enter; filter: Hide finished on and off, then a state's chip
 * pressed and pressed again (each waited out until the graph settles).
 */
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser, RENDERER_DIR } from '../../ui/harness';
import { startTestServer } from '../../ui/test-server';
import { addDependencyInPage, filterSteps, framesWhile, panAround, paintProbe, showFound, waitForValue } from './page-probes';
import { SHAPES } from './shapes-bench';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  id?: string;
  args?: { name?: string; data?: ProfileData };
}
interface ProfileData {
  startTime?: number;
  cpuProfile?: {
    nodes?: Array<{ id: number; parent?: number; callFrame: { functionName: string; url?: string; lineNumber: number } }>;
    samples?: number[];
  };
  timeDeltas?: number[];
}

// blink.user_timing: the navigation's start and the app's marks (wg:…), which each task is timed from and between.
// CATS replaces them: with 'cc' and 'toplevel' added, a frame's Commit shows what it waited for (LayerTreeHost::DoUpdateLayers
// is a canvas's drawing rasterized on the page's thread).
const CATEGORIES =
  process.env.CATS ??
  'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,disabled-by-default-v8.cpu_profiler,blink.user_timing';

async function traced(cdp: CDPSession, during: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => events.push(...(e.value as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  await during();
  await cdp.send('Tracing.end');
  await complete;
  return events;
}

/** Samples of the renderer's main thread: [time, stack of function names, innermost last]. */
function samplesOf(events: TraceEvent[], pid: number, tid: number): Array<[number, string[]]> {
  const nodes = new Map<number, { parent?: number; name: string }>();
  const out: Array<[number, string[]]> = [];
  const profiles = new Map<string, number>();
  for (const e of events)
    if (e.name === 'Profile' && e.pid === pid && e.tid === tid && e.id) profiles.set(e.id, e.args?.data?.startTime ?? 0);
  const clocks = new Map(profiles);
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid || !e.id || !clocks.has(e.id)) continue;
    const data = e.args?.data;
    for (const node of data?.cpuProfile?.nodes ?? []) {
      const f = node.callFrame;
      nodes.set(node.id, {
        parent: node.parent,
        name: `${f.functionName || '(anonymous)'} ${(f.url ?? '').split('/').pop() ?? ''}:${f.lineNumber}`,
      });
    }
    let clock = clocks.get(e.id) ?? 0;
    (data?.cpuProfile?.samples ?? []).forEach((id, i) => {
      clock += data?.timeDeltas?.[i] ?? 0;
      const stack: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = nodes.get(at)?.parent) stack.unshift(nodes.get(at)?.name ?? '?');
      out.push([clock, stack]);
    });
    clocks.set(e.id, clock);
  }
  return out;
}

function report(events: TraceEvent[], label: string): void {
  writeFileSync(`/tmp/wg-long-${label}.trace.json`, JSON.stringify({ traceEvents: events }));
  // THREAD=worker reads the layout workers' thread instead of the window's.
  const thread = process.env.THREAD === 'worker' ? 'DedicatedWorker thread' : 'CrRendererMain';
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === thread);
  if (!main) throw new Error(`no ${thread} thread in the trace`);
  const tasks = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.name === 'RunTask' && (e.dur ?? 0) > 50_000)
    .sort((a, b) => a.ts - b.ts);
  const samples = samplesOf(events, main.pid, main.tid);
  // The page's clock starts at its navigation: a task's start and the app's marks read as performance.now() does.
  const navigation = events.filter((e) => e.name === 'navigationStart').at(-1)?.ts ?? tasks[0]?.ts ?? 0;
  const fromNavigation = (ts: number) => `${((ts - navigation) / 1000).toFixed(0)} ms`;
  const marks = events.filter((e) => e.name.startsWith('wg:') && e.ph !== 'e').sort((a, b) => a.ts - b.ts);
  console.log(`\n== ${label}: ${tasks.length} tasks over 50 ms on ${thread}`);
  console.log(`   marks: ${marks.map((mark) => `${mark.name} ${fromNavigation(mark.ts)}`).join(', ')}`);
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    let count = 0;
    for (const [at, stack] of samples) {
      if (at < task.ts || at > end) continue;
      count++;
      const leaf = stack[stack.length - 1] ?? '?';
      self.set(leaf, (self.get(leaf) ?? 0) + 1);
      for (const name of new Set(stack)) total.set(name, (total.get(name) ?? 0) + 1);
    }
    const byName = new Map<string, number>();
    for (const e of events) {
      if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || e === task || e.ts < task.ts || e.ts >= end) continue;
      byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0));
    }
    const inside = [...byName]
      .filter(([, us]) => us > 5_000)
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => `${name} ${(us / 1000).toFixed(0)}`)
      .slice(0, 14);
    console.log(
      `\n-- ${((task.dur ?? 0) / 1000).toFixed(0)} ms task at ${fromNavigation(task.ts)} (${count} samples): ${inside.join(', ')}`,
    );
    const top = (map: Map<string, number>) =>
      [...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(process.env.TOP ?? 12))
        .map(([name, n]) => `${((100 * n) / Math.max(1, count)).toFixed(0).padStart(4)}%  ${name}`);
    console.log(`   self:\n     ${top(self).join('\n     ')}`);
    console.log(`   total:\n     ${top(total).join('\n     ')}`);
  }
}

async function main(): Promise<void> {
  const shapeName = process.env.SHAPE ?? 'fan';
  const action = process.env.ACTION ?? 'open';
  const shape = SHAPES[shapeName];
  if (!shape) throw new Error(`unknown SHAPE=${shapeName}: one of ${Object.keys(SHAPES).join(', ')}`);
  const tasks = shape.tasks();
  const server = await startTestServer({ tasks }, process.env.RENDERER ?? RENDERER_DIR);
  const browser = await launchBrowser({ reducedMotion: false });
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript({ content: paintProbe('.react-flow__node .task-card') });
    const cdp = await page.context().newCDPSession(page);
    const url = `${server.origin}/#token=${server.token}`;
    const settled = () => waitForValue(page, `!document.querySelector('.graph-status')`, 180_000);
    if (action === 'open') {
      report(
        await traced(cdp, async () => {
          await page.goto(url);
          await waitForValue(page, 'window.__wgMark', 180_000);
          await settled();
          await page.waitForTimeout(1000);
        }),
        `${shapeName}-open`,
      );
      console.log(`first card painted at ${Number(await page.evaluate('window.__wgMark')).toFixed(0)} ms from navigation`);
      return;
    }
    await page.goto(url);
    await waitForValue(page, 'window.__wgMark', 180_000);
    await settled();
    await page.waitForTimeout(1000);
    if (process.env.AFTER_FIT === '1') {
      await page.getByRole('button', { name: 'Fit view: every task' }).click();
      await page.waitForTimeout(2000);
    }
    const link = shape.link(tasks);
    // A link is made where a person sees its dependent: the search goes there first.
    const goTo =
      action === 'link' ? { words: tasks.find((task) => task.id === link.task)?.title ?? link.task, id: link.task } : shape.found;
    if (action === 'there' || action === 'link' || process.env.AT_FOUND === '1') {
      const search = page.getByRole('combobox', { name: 'Search tasks' });
      await search.fill(goTo.words);
      await search.press('Enter');
      await page.keyboard.press('Escape');
      await page.locator(`.react-flow__node[data-id="${goTo.id}"]`).waitFor({ timeout: 60_000 });
      await page.waitForTimeout(1500);
    }
    if (action === 'fit') {
      let fps = 0;
      report(
        await traced(cdp, async () => {
          await page.getByRole('button', { name: 'Fit view: every task' }).click();
          await page.waitForTimeout(1000);
          fps = await framesWhile(page, () => panAround(page));
          await page.waitForTimeout(300);
        }),
        `${shapeName}-fit`,
      );
      console.log(`fps panning at Fit ${fps.toFixed(1)}`);
    } else if (action === 'pan' || action === 'there') {
      let fps = 0;
      report(
        await traced(cdp, async () => {
          fps = await framesWhile(page, () => panAround(page));
          await page.waitForTimeout(300);
        }),
        `${shapeName}-${action}`,
      );
      console.log(`fps panning ${fps.toFixed(1)}`);
    } else if (action === 'link') {
      let took = 0;
      report(
        await traced(cdp, async () => {
          took = Number(await page.evaluate(addDependencyInPage(link.task, link.dependency)));
          await page.waitForTimeout(300);
        }),
        `${shapeName}-link`,
      );
      console.log(`new edge drawn and settled after ${took.toFixed(0)} ms`);
    } else if (action === 'status') {
      // The running tasks finish, then the open ones they were holding start: the frontier of a plan at work.
      const running = tasks.filter((task) => task.status === 'in-progress').slice(0, 8);
      const done = new Set([...tasks.filter((task) => task.status === 'done'), ...running].map((task) => task.id));
      const next = tasks.filter((task) => task.status === 'open' && task.after.every((id) => done.has(id))).slice(0, 8);
      const changes = [...running.map((task) => [task.id, 'done'] as const), ...next.map((task) => [task.id, 'in-progress'] as const)];
      report(
        await traced(cdp, async () => {
          for (const [id, status] of changes) {
            await server.project.update(id, { status });
            await page.waitForTimeout(400);
          }
          await page.waitForTimeout(1000);
        }),
        `${shapeName}-status`,
      );
      console.log(`${running.length} running tasks done, then ${next.length} started`);
    } else if (action === 'search') {
      report(
        await traced(cdp, async () => {
          await showFound(page, shape.found, true);
          await page.waitForTimeout(1000);
        }),
        `${shapeName}-search`,
      );
    } else if (action === 'filter') {
      report(
        await traced(cdp, async () => {
          for (const step of filterSteps(page)) {
            await step();
            await settled();
            await page.waitForTimeout(800);
          }
        }),
        `${shapeName}-filter`,
      );
    } else if (action !== 'pan' && action !== 'fit') throw new Error(`unknown ACTION=${action}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import type { Browser, Page } from 'playwright-core';
import type { TaskStatus } from '../../../src/shared/task';
import type { Workgraph } from '../../renderer/support/workgraph';
import { startTestServer, type TestServer } from '../../ui/test-server';
import { median } from '../percentiles';
import { connectedDag } from './big-graph';
import { paintProbe, waitForValue } from './page-probes';

/**
 * The board on one connected 10,000-task plan (`connectedDag`: 40% done, a frontier of running
 * and failed tasks, thousands blocked behind the failures): opening on it (the view remembered)
 * against opening on the graph, side by side in one run; scrolling each long column with the
 * wheel (frame times, longest task); 100 status changes a second with the board open; switching
 * from the graph to the board and back. `BENCH_ONLY=board npm run bench:ui`.
 */
const COUNT = 10_000;
const RUNS = 3;
const CHANGES_PER_SECOND = 100;

const runs = (values: number[], digits = 0) =>
  `median ${median(values).toFixed(digits)}  (runs: ${values.map((v) => v.toFixed(digits)).join(', ')})`;

/** Long tasks (> 50 ms) on the page's thread from the start, as window.__wgLong: [start, duration]. */
const LONG_TASKS = `
  window.__wgLong = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__wgLong.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
`;

const chooseBoard = (view: 'board' | 'graph') => `try { localStorage.setItem('wg.work-view', '${view}'); } catch {}`;

async function longestSince(page: Page, since: number): Promise<number> {
  const entries = (await page.evaluate('window.__wgLong')) as Array<[number, number]>;
  return entries.filter(([start]) => start >= since).reduce((most, [, duration]) => Math.max(most, duration), 0);
}

/** The time between frames (requestAnimationFrame) while `during` runs, in ms. */
async function frameTimesWhile(page: Page, during: () => Promise<void>): Promise<number[]> {
  await page.evaluate(`(() => {
    window.__wgFrameTimes = []; window.__wgCounting = true;
    let last = performance.now();
    const tick = (now) => { window.__wgFrameTimes.push(now - last); last = now; if (window.__wgCounting) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await during();
  return (await page.evaluate(`(() => { window.__wgCounting = false; return window.__wgFrameTimes; })()`)) as number[];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Wheels down a column's list in steps of 240 px every 16 ms (about 8,500 px a second), then back up. */
async function scrollColumn(page: Page, column: string, steps = 120): Promise<void> {
  const box = await page.locator(`.board-column[data-column="${column}"] .board-column-scroll`).boundingBox();
  if (!box) throw new Error(`no ${column} column`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, i < steps / 2 ? 240 : -240);
    await page.waitForTimeout(16);
  }
}

async function openOn(
  browser: Browser,
  server: TestServer,
  view: 'board' | 'graph',
): Promise<{ page: Page; painted: number; longest: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript({ content: LONG_TASKS });
  await page.addInitScript({ content: chooseBoard(view) });
  await page.addInitScript({
    content: paintProbe(view === 'board' ? '.board-card' : '.react-flow__node .task-card[data-state="running"]'),
  });
  await page.goto(`${server.origin}/#token=${server.token}`);
  const painted = Number(await waitForValue(page, 'window.__wgMark', 120_000));
  await page.waitForTimeout(1500);
  return { page, painted, longest: await longestSince(page, 0) };
}

function churn(project: Workgraph): () => void {
  const statuses: TaskStatus[] = ['open', 'in-progress', 'done', 'failed'];
  let n = 0;
  const timer = setInterval(async () => {
    for (let i = 0; i < CHANGES_PER_SECOND / 10; i++) {
      n++;
      await project.update(`t${(n * 7919) % COUNT}`, { status: statuses[n % statuses.length] });
    }
  }, 100);
  return () => clearInterval(timer);
}

export async function boardBench(browser: Browser): Promise<void> {
  const server = await startTestServer({ tasks: connectedDag(COUNT) });
  const project = server.project;
  try {
    console.log(`\nthe board on one connected DAG of ${COUNT.toLocaleString()} tasks`);
    const board: number[] = [];
    const graph: number[] = [];
    const boardLongest: number[] = [];
    const graphLongest: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Side by side: the board, then the graph, each in a fresh profile (nothing kept from the last open).
      const onBoard = await openOn(browser, server, 'board');
      board.push(onBoard.painted);
      boardLongest.push(onBoard.longest);
      await onBoard.page.context().close();
      const onGraph = await openOn(browser, server, 'graph');
      graph.push(onGraph.painted);
      graphLongest.push(onGraph.longest);
      await onGraph.page.context().close();
    }
    console.log(`  first card painted, from navigation (ms): board ${runs(board)}; graph (a running card) ${runs(graph)}`);
    console.log(`  ratio board / graph (medians): ${(median(board) / median(graph)).toFixed(2)}`);
    console.log(
      `  longest task on the page's thread while opening and 1.5 s after (ms): board ${runs(boardLongest)}; graph ${runs(graphLongest)}`,
    );

    const { page } = await openOn(browser, server, 'board');
    // The graph is laid out in the background meanwhile (for B): the scrolling below is measured once that is done.
    const settled = Number(await waitForValue(page, `!document.querySelector('.graph-status') && performance.now()`, 120_000));
    console.log(`  the graph laid out in the background (for B) by ${settled.toFixed(0)} ms`);
    const counts = await page.locator('.board-column-title').allTextContents();
    console.log(`  columns: ${counts.map((text) => text.replace(/\s+/g, ' ').trim()).join(' | ')}`);
    await page
      .locator('.board-column[data-column="done"]')
      .getByRole('button', { name: /^Show all/ })
      .click();
    await page.waitForTimeout(500);
    for (const column of ['failed', 'done', 'waiting']) {
      const medians: number[] = [];
      const p95s: number[] = [];
      const worst: number[] = [];
      const longest: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const since = Number(await page.evaluate('performance.now()'));
        const frames = await frameTimesWhile(page, () => scrollColumn(page, column));
        medians.push(median(frames));
        p95s.push(percentile(frames, 95));
        worst.push(Math.max(...frames));
        longest.push(await longestSince(page, since));
      }
      const cards = await page.evaluate(`document.querySelectorAll('.board-card').length`);
      console.log(
        `  scrolling ${column} with the wheel: frame time ${runs(medians, 1)}; 95th percentile ${runs(p95s, 1)}; worst ${runs(worst, 1)}; longest task ${runs(longest)} (ms); ${String(cards)} cards in the page`,
      );
    }

    const changeFrames: number[] = [];
    const changeLongest: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const since = Number(await page.evaluate('performance.now()'));
      const stop = churn(project);
      const frames = await frameTimesWhile(page, () => page.waitForTimeout(4000));
      stop();
      changeFrames.push(1000 / median(frames));
      changeLongest.push(await longestSince(page, since));
    }
    console.log(`  during ${CHANGES_PER_SECOND} status changes/s: fps ${runs(changeFrames, 1)}; longest task ${runs(changeLongest)} (ms)`);

    // Switching views: the time from the key to the other view's first card painted.
    const switches: { toGraph: number[]; toBoard: number[] } = { toGraph: [], toBoard: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const [to, selector] of [
        ['toGraph', '.react-flow__node .task-card'],
        ['toBoard', '.board-card'],
      ] as const) {
        const ms = await page.evaluate(`new Promise((resolve) => {
          const start = performance.now();
          document.dispatchEvent(new KeyboardEvent('keydown', { key: 'b', bubbles: true }));
          const check = () => document.querySelector(${JSON.stringify(selector)}) && document.querySelector('${to === 'toBoard' ? '.task-board' : '.graph-canvas:not(.hidden)'}')
            ? requestAnimationFrame(() => resolve(performance.now() - start))
            : requestAnimationFrame(check);
          check();
        })`);
        switches[to].push(Number(ms));
        await page.waitForTimeout(800);
      }
    }
    console.log(`  B, board to graph, until a card is painted (ms): ${runs(switches.toGraph)} (the first time lays the graph's view out)`);
    console.log(`  B, graph to board, until a card is painted (ms): ${runs(switches.toBoard)}`);
    await page.context().close();
  } finally {
    await server.close();
  }
}

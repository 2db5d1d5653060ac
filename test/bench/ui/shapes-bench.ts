import type { Browser, Page } from 'playwright-core';
import type { Task } from '../../../src/shared/task';
import { FakeWorkgraph } from '../../renderer/support/fake-workgraph';
import { startTestServer } from '../../ui/test-server';
import { median } from '../percentiles';
import { framesWhile, panAround, paintProbe, waitForValue } from './page-probes';
import { chainPlan, fanPlan } from './plan-shapes';

const RUNS = 3;

/** Records every long task (> 50 ms) on the page's thread as window.__wgLong: [start, duration]. */
const LONG_TASKS = `
  window.__wgLong = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__wgLong.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
`;

/** Every element the dependency edges put in the page (groups, paths, whatever draws them). */
const EDGE_ELEMENTS = `document.querySelectorAll('.dep-edges, .dep-edges *').length`;

interface Figures {
  firstCard: number;
  openLongest: number;
  edgesFirstView: number;
  panFps: number;
  panLongest: number;
  thereFps: number;
  thereLongest: number;
  edgesThere: number;
}

const METRICS: Array<[keyof Figures, string, number]> = [
  ['firstCard', 'first card painted, from navigation (ms)', 0],
  ['openLongest', 'longest main-thread task while opening, to layout done (ms)', 0],
  ['edgesFirstView', 'edge elements in the page, first view', 0],
  ['panFps', 'fps panning the first view', 1],
  ['panLongest', 'longest task while panning the first view (ms)', 0],
  ['edgesThere', 'edge elements in the page, a found task shown', 0],
  ['thereFps', 'fps panning there', 1],
  ['thereLongest', 'longest task while panning there (ms)', 0],
];

async function longestSince(page: Page, since: number): Promise<number> {
  const entries = (await page.evaluate('window.__wgLong')) as Array<[number, number]>;
  return entries.filter(([start]) => start >= since).reduce((most, [, duration]) => Math.max(most, duration), 0);
}

async function panMeasured(page: Page): Promise<{ fps: number; longest: number }> {
  await page.waitForTimeout(500);
  const since = Number(await page.evaluate('performance.now()'));
  const fps = await framesWhile(page, () => panAround(page));
  await page.waitForTimeout(300);
  return { fps, longest: await longestSince(page, since) };
}

/** A task a person goes to with the search: the fan's first (its hub of 5,000 edges), the chain's middle. */
interface Found {
  words: string;
  id: string;
}

async function once(browser: Browser, origin: string, token: string, found: Found): Promise<Figures> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: LONG_TASKS });
    await page.addInitScript({ content: paintProbe('.react-flow__node .task-card') });
    await page.goto(`${origin}/#token=${token}`);
    // performance.now() counts from the page's time origin: the navigation, as a person waits.
    const firstCard = Number(await waitForValue(page, 'window.__wgMark', 180_000));
    await waitForValue(page, `!document.querySelector('.graph-status')`, 180_000);
    await page.waitForTimeout(1000);
    const openLongest = await longestSince(page, 0);
    const edgesFirstView = Number(await page.evaluate(EDGE_ELEMENTS));
    const first = await panMeasured(page);
    const search = page.getByRole('combobox', { name: 'Search tasks' });
    await search.fill(found.words);
    await search.press('Enter');
    await page.keyboard.press('Escape');
    await page.locator(`.react-flow__node[data-id="${found.id}"]`).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    const edgesThere = Number(await page.evaluate(EDGE_ELEMENTS));
    const there = await panMeasured(page);
    return {
      firstCard,
      openLongest,
      edgesFirstView,
      panFps: first.fps,
      panLongest: first.longest,
      thereFps: there.fps,
      thereLongest: there.longest,
      edgesThere,
    };
  } finally {
    await context.close();
  }
}

/**
 * A fan (1 → 5,000 → 1) and a chain of 5,000 steps, opened in each renderer build given, run by run
 * in turn (the same machine load for both), medians of RUNS opens each.
 */
export async function shapesBench(browser: Browser, renderers: ReadonlyArray<[string, string]>): Promise<void> {
  const shapes: Array<[string, () => Task[], Found]> = [
    ['fan 1 → 5,000 → 1; found: its first task', () => fanPlan(5000), { words: 'Split the archive', id: 'split' }],
    ['chain of 5,000; found: its middle step', () => chainPlan(5000, 40), { words: 'Step 2500:', id: 'step-2500' }],
  ];
  for (const [shape, tasks, found] of shapes) {
    const servers = [];
    for (const [name, dir] of renderers) {
      const fake = new FakeWorkgraph();
      fake.seed(tasks());
      servers.push({ name, server: await startTestServer(dir, fake), figures: [] as Figures[] });
    }
    try {
      for (let run = 0; run < RUNS; run++)
        for (const entry of servers) entry.figures.push(await once(browser, entry.server.origin, entry.server.token, found));
      console.log(`\n${shape} (medians of ${RUNS}; runs in brackets)`);
      console.log(`  ${'metric'.padEnd(62)}${servers.map((s) => s.name.padEnd(30)).join('')}`);
      for (const [key, label, digits] of METRICS) {
        const cells = servers.map(({ figures }) => {
          const values = figures.map((f) => f[key]);
          return `${median(values).toFixed(digits)} [${values.map((v) => v.toFixed(digits)).join(', ')}]`.padEnd(30);
        });
        console.log(`  ${label.padEnd(62)}${cells.join('')}`);
      }
    } finally {
      for (const { server } of servers) await server.close();
    }
  }
}

import type { Browser, Page } from 'playwright-core';
import type { Task } from '../../../src/shared/task';
import { graphAtRest } from '../../ui/harness';
import { startTestServer } from '../../ui/test-server';
import { median } from '../percentiles';
import { movingEdits } from './big-graph';
import { benchLoads, startCpuBurners } from './cpu-burners';
import { dragLinkToEdge, linkableInView } from './drag-link';
import { addDependencyInPage, filterSteps, framesWhile, panAround, paintProbe, showFound, waitForValue } from './page-probes';
import { chainPlan, failingPlan, fanPlan, mixedProject, wideLayers } from './plan-shapes';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** A plan shape, the task a person goes to with the search, and a dependency they add there. */
export interface Shape {
  label: string;
  tasks: () => Task[];
  found: { words: string; id: string };
  /** A dependency to add that moves its dependent (closing no loop), made at the found task. */
  link: (tasks: readonly Task[]) => { task: string; dependency: string };
}

/** The first of the connected plan's edits that move their dependent (ui.bench.ts measures three). */
function firstEdit(tasks: readonly Task[]): { task: string; dependency: string } {
  const [edit] = movingEdits(tasks, tasks.length);
  if (!edit) throw new Error('no edit found that closes no loop');
  return edit;
}

export const SHAPES: Record<string, Shape> = {
  import200: {
    label: 'upstream import of 200 (50 tasks, each with its .assign-, .flip- and .evaluate-); found: its release',
    tasks: () => mixedProject(),
    found: { words: 'Release to everyone', id: 'release' },
    link: () => ({ task: 'announce', dependency: 'docs-api' }),
  },
  fan: {
    label: 'fan 1 → 5,000 → 1; found: its first task',
    tasks: () => fanPlan(5000),
    found: { words: 'Split the archive', id: 'split' },
    link: () => ({ task: 'part-3', dependency: 'part-1' }),
  },
  chain: {
    label: 'chain of 5,000; found: its middle step',
    tasks: () => chainPlan(5000, 40),
    found: { words: 'Step 2500:', id: 'step-2500' },
    link: () => ({ task: 'step-2500', dependency: 'step-100' }),
  },
  wide: {
    label: 'wide layers: 20 stages of 500, each task after 1 to 3 of the stage before; found: a middle one',
    tasks: () => wideLayers(20, 500),
    found: { words: 'Stage 10: process shard 250', id: 'l10-250' },
    link: (tasks) => {
      // A task of the next stage that does not depend on it yet now does (stages only depend on the one before). The
      // other way round (it after a task of stage 11) sends it two columns on, 500 cards tall: out of the view, where
      // an edit another tool makes is not followed, so its edge never came into the page.
      const next = tasks.find((task) => task.id.startsWith('l11-') && !task.after.includes('l10-250'));
      if (!next) throw new Error('no task of stage 11 is free of l10-250');
      return { task: next.id, dependency: 'l10-250' };
    },
  },
  dag2000: {
    label: 'connected plan of 2,000 (12 failed, 8 running); found: a task of its frontier',
    tasks: () => failingPlan(2000),
    found: { words: 'Task 803:', id: 't803' },
    link: firstEdit,
  },
  dag10000: {
    label: 'connected plan of 10,000 (12 failed, 8 running); found: a task of its frontier',
    tasks: () => failingPlan(10_000),
    found: { words: 'Task 4003:', id: 't4003' },
    link: firstEdit,
  },
  dag50000: {
    label: 'connected plan of 50,000 (12 failed, 8 running); found: a task of its frontier',
    tasks: () => failingPlan(50_000),
    found: { words: 'Task 20003:', id: 't20003' },
    link: firstEdit,
  },
};

/** Records every long task (> 50 ms) on the page's thread as window.__wgLong: [start, duration]. */
export const LONG_TASKS = `
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
  fitFps: number;
  fitLongest: number;
  dragVisible: number;
  dragLongest: number;
  thereFps: number;
  thereLongest: number;
  edgesThere: number;
  linkVisible: number;
  linkSettled: number;
  linkLongest: number;
  searchLongest: number;
  filterLongest: number;
}

const METRICS: Array<[keyof Figures, string, number]> = [
  ['firstCard', 'first card painted, from navigation (ms)', 0],
  ['openLongest', 'longest main-thread task while opening, to layout done (ms)', 0],
  ['edgesFirstView', 'edge elements in the page, first view', 0],
  ['panFps', 'fps panning the first view (Work)', 1],
  ['panLongest', 'longest task while panning the first view (ms)', 0],
  ['fitFps', 'fps panning at Fit (every task in view)', 1],
  ['fitLongest', 'longest task from Fit to the end of its pan (ms)', 0],
  ['searchLongest', 'longest task from typing the search to the found task shown (ms)', 0],
  ['edgesThere', 'edge elements in the page, a found task shown', 0],
  ['thereFps', 'fps panning there', 1],
  ['thereLongest', 'longest task while panning there (ms)', 0],
  ['dragVisible', 'a link dragged there: release to its edge in the page (ms)', 0],
  ['dragLongest', 'longest task from the drag until its layout settled (ms)', 0],
  ['linkVisible', 'a dependency added there by another tool: its edge in the page (ms)', 0],
  ['linkSettled', 'the same: edge placed, layout settled (ms)', 0],
  ['linkLongest', 'longest task from the add until settled (ms)', 0],
  ['filterLongest', 'longest task filtering: Hide finished on, off, a state chip on, off (ms)', 0],
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

interface Link {
  task: string;
  dependency: string;
  /** Words the search finds the dependent by. */
  words: string;
}

async function once(browser: Browser, origin: string, token: string, shape: Shape, tasks: readonly Task[], link: Link): Promise<Figures> {
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
    const fitSince = Number(await page.evaluate('performance.now()'));
    await page.getByRole('button', { name: 'Fit view: every task' }).click();
    await graphAtRest(page);
    const fit = await panMeasured(page);
    // From the click: the fit's own work, then the pan's.
    const fitLongest = await longestSince(page, fitSince);
    const searchSince = Number(await page.evaluate('performance.now()'));
    await showFound(page, shape.found, true);
    await page.waitForTimeout(1500);
    const searchLongest = await longestSince(page, searchSince);
    const edgesThere = Number(await page.evaluate(EDGE_ELEMENTS));
    const there = await panMeasured(page);
    // A link drawn by hand between two cards in view there (the one below is another tool's, away from here).
    await graphAtRest(page);
    const drawn = await linkableInView(page, tasks, { from: link.dependency, to: link.task });
    if (!drawn) throw new Error(`no two cards in view at ${shape.found.id} can be linked`);
    const dragSince = Number(await page.evaluate('performance.now()'));
    const dragVisible = await dragLinkToEdge(page, drawn);
    // Its layout settles before the next edit, which would otherwise wait on it.
    await page.locator('.graph-status').waitFor({ state: 'detached', timeout: 180_000 });
    const dragLongest = await longestSince(page, dragSince);
    // The link is made where its dependent is on screen, as a drag makes it.
    if (link.task !== shape.found.id) await showFound(page, { words: link.words, id: link.task });
    await page.waitForTimeout(1000);
    const since = Number(await page.evaluate('performance.now()'));
    const linkSettled = Number(await page.evaluate(addDependencyInPage(link.task, link.dependency)));
    const linkVisible = Number(await page.evaluate('window.__wgEdgeVisible'));
    await page.waitForTimeout(300);
    const linkLongest = await longestSince(page, since);
    const filterSince = Number(await page.evaluate('performance.now()'));
    for (const step of filterSteps(page)) {
      await step();
      await graphAtRest(page);
      await page.waitForTimeout(500);
    }
    return {
      firstCard,
      openLongest,
      edgesFirstView,
      panFps: first.fps,
      panLongest: first.longest,
      fitFps: fit.fps,
      fitLongest,
      dragVisible,
      dragLongest,
      thereFps: there.fps,
      thereLongest: there.longest,
      edgesThere,
      linkVisible,
      linkSettled,
      linkLongest,
      searchLongest,
      filterLongest: await longestSince(page, filterSince),
    };
  } finally {
    await context.close();
  }
}

/**
 * Plan shapes (BENCH_SHAPES, default all of SHAPES) opened in each renderer build given, run by run
 * in turn (the same machine load for both), medians of RUNS opens each. Each open starts from the
 * plan as it was (a fresh store): the dependency one run added is not there for the next.
 */
export async function shapesBench(browser: Browser, renderers: ReadonlyArray<[string, string]>): Promise<void> {
  for (const load of benchLoads()) {
    const burners = startCpuBurners(load.burners);
    try {
      console.log(`\n== ${load.label} ==`);
      await shapesUnder(browser, renderers);
    } finally {
      burners.stop();
    }
  }
}

async function shapesUnder(browser: Browser, renderers: ReadonlyArray<[string, string]>): Promise<void> {
  const names = (process.env.BENCH_SHAPES ?? Object.keys(SHAPES).join(',')).split(',');
  for (const name of names) {
    const shape = SHAPES[name];
    if (!shape) throw new Error(`unknown shape ${name}: one of ${Object.keys(SHAPES).join(', ')}`);
    const tasks = shape.tasks();
    const edit = shape.link(tasks);
    const link = { ...edit, words: tasks.find((task) => task.id === edit.task)?.title ?? edit.task };
    const figures = renderers.map(() => [] as Figures[]);
    for (let run = 0; run < RUNS; run++) {
      for (const [index, [, dir]] of renderers.entries()) {
        const server = await startTestServer({ tasks: shape.tasks() }, dir);
        try {
          figures[index]?.push(await once(browser, server.origin, server.token, shape, tasks, link));
        } finally {
          await server.close();
        }
      }
    }
    console.log(`\n${shape.label} (medians of ${RUNS}; runs in brackets)`);
    console.log(`  ${'metric'.padEnd(70)}${renderers.map(([label]) => label.padEnd(34)).join('')}`);
    for (const [key, label, digits] of METRICS) {
      const cells = figures.map((list) => {
        const values = list.map((f) => f[key]);
        return `${median(values).toFixed(digits)} [${values.map((v) => v.toFixed(digits)).join(', ')}]`.padEnd(34);
      });
      console.log(`  ${label.padEnd(70)}${cells.join('')}`);
    }
  }
}

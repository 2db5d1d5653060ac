/**
 * Where the wait for the first card goes (a tool, not a test): opens a plan shape RUNS times and
 * prints, from navigation, the window's marks on the way (wg:snapshot: the first snapshot read,
 * wg:layout-input, wg:graph: the window told of it, wg:app: the app's code run, wg:first-picture,
 * wg:layout-done), when each request went out and came back, the first card painted and every long
 * task (> 50 ms) with its start.
 *
 *   SHAPE=dag10000 [RUNS=3] [RENDERER=<another build's out/renderer>] npx tsx test/bench/ui/first-card-path.ts
 */
import { launchBrowser } from '../../ui/harness';
import { startTestServer } from '../../ui/test-server';
import { paintProbe, waitForValue } from './page-probes';
import { SHAPES } from './shapes-bench';

const LONG_TASKS = `window.__wgLong = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__wgLong.push([Math.round(e.startTime), Math.round(e.duration)]); })
    .observe({ type: 'longtask', buffered: true });`;
const PATH = `JSON.stringify({
  marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('wg:')).map((m) => [m.name, Math.round(m.startTime)]),
  requests: performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/')).map((r) => [r.name.split('/').pop(), Math.round(r.startTime), Math.round(r.responseEnd)]),
  code: Math.round(Math.max(...performance.getEntriesByType('resource').filter((r) => r.name.includes('/assets/')).map((r) => r.responseEnd))),
})`;

async function main(): Promise<void> {
  const name = process.env.SHAPE ?? 'dag10000';
  const shape = SHAPES[name];
  if (!shape) throw new Error(`unknown shape ${name}: one of ${Object.keys(SHAPES).join(', ')}`);
  const browser = await launchBrowser({ reducedMotion: false });
  try {
    for (let run = 0; run < Number(process.env.RUNS ?? 3); run++) {
      const server = await startTestServer({ tasks: shape.tasks() }, process.env.RENDERER);
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      try {
        const page = await context.newPage();
        await page.addInitScript({ content: LONG_TASKS });
        await page.addInitScript({ content: paintProbe('.react-flow__node .task-card') });
        await page.goto(`${server.origin}/#token=${server.token}`);
        const first = Number(await waitForValue(page, 'window.__wgMark', 180_000));
        await waitForValue(page, `!document.querySelector('.graph-status')`, 180_000);
        const path = JSON.parse(String(await page.evaluate(PATH))) as {
          marks: Array<[string, number]>;
          requests: Array<[string, number, number]>;
          code: number;
        };
        console.log(`\n${shape.label}, run ${run + 1}: first card painted at ${Math.round(first)} ms from navigation`);
        console.log(`  the app's code all fetched by ${path.code} ms`);
        for (const [mark, at] of path.marks) console.log(`  ${mark.padEnd(18)} ${at} ms`);
        for (const [op, sent, back] of path.requests) console.log(`  ${op.padEnd(18)} sent ${sent} ms, answered ${back} ms`);
        console.log(`  long tasks [start, ms]: ${JSON.stringify(await page.evaluate('window.__wgLong'))}`);
      } finally {
        await context.close();
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

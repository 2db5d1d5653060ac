/**
 * The 2,000-task first paint of two renderer builds side by side (a tool, not a test): both are
 * served at once and opened in turn in one browser, so both see the same machine load, which on a
 * shared machine swings more than most changes are worth.
 *
 *   BASE=/tmp/main-clone/out/renderer [OTHER=out/renderer] [RUNS=8] [COUNT=2000] [SHAPE=dag] npx tsx test/bench/ui/first-paint-ab.ts
 *
 * SHAPE=dag opens one connected plan of COUNT tasks (connectedDag, as the 10,000-task browser tests
 * do) instead of bigGraph's many small parts. BASE_TREE=<another checkout, built> instead of BASE
 * serves the base from that checkout's own coordinator too (serve-plan.ts, a process of its own, and
 * this checkout's alike), so what the server sends and how fast is compared as well, not only the
 * window's build.
 * Prints the medians of each and their ratio. Lines the page or its workers log with `[trace]` are
 * printed with the open they belong to (temporary timestamps while looking for where time goes).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { makeAgent } from '../../renderer/support/fixtures';
import { launchBrowser, RENDERER_DIR } from '../../ui/harness';
import { startTestServer, type TestServer } from '../../ui/test-server';
import { median } from '../percentiles';
import { bigGraph, connectedDag } from './big-graph';
import { paintProbe, waitForValue } from './page-probes';

const baseTree = process.env.BASE_TREE;
const base = process.env.BASE ?? (baseTree ? `${baseTree}/out/renderer` : undefined);
if (!base)
  throw new Error(
    'set BASE to the renderer build to compare against (a clone of main, built: <clone>/out/renderer), or BASE_TREE to the clone',
  );
const builds = { base: resolve(base), other: resolve(process.env.OTHER ?? RENDERER_DIR) };
const RUNS = Number(process.env.RUNS ?? 8);
const COUNT = Number(process.env.COUNT ?? 2000);
const SHAPE = process.env.SHAPE === 'dag' ? 'dag' : 'big';

async function serve(dir: string): Promise<TestServer> {
  return startTestServer(
    {
      tasks: SHAPE === 'dag' ? connectedDag(COUNT) : bigGraph(COUNT),
      agents: [makeAgent({ id: 'agent-big', task_id: 't12', started_at: new Date().toISOString() })],
    },
    dir,
  );
}

/** The plan served by another checkout's coordinator, in a process of its own (serve-plan.ts). */
async function serveFromTree(tree: string): Promise<Pick<TestServer, 'origin' | 'token' | 'close'>> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'serve-plan.ts')], {
    cwd: tree,
    env: { ...process.env, TREE: tree, COUNT: String(COUNT), SHAPE },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolveLine, reject) => {
    createInterface({ input: child.stdout }).once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`the base tree's server ended (${String(code)}) before it listened`)));
  });
  const { origin, token } = JSON.parse(line) as { origin: string; token: string };
  return {
    origin,
    token,
    close: () =>
      new Promise<void>((closed) => {
        child.once('exit', () => closed());
        child.stdin.end();
      }),
  };
}

async function main(): Promise<void> {
  // Served alike: with BASE_TREE, this checkout's own server runs in a process of its own too.
  const servers = baseTree
    ? { base: await serveFromTree(resolve(baseTree)), other: await serveFromTree(resolve('.')) }
    : { base: await serve(builds.base), other: await serve(builds.other) };
  const browser = await launchBrowser({ reducedMotion: false });
  const paints: Record<keyof typeof servers, number[]> = { base: [], other: [] };
  // From the whole layout done (the app's wg:layout-done mark) to the first card painted: the window's own part.
  const afterLayout: Record<keyof typeof servers, number[]> = { base: [], other: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      // Alternate which goes first, so neither always opens right after the other.
      const order: (keyof typeof servers)[] = run % 2 === 0 ? ['base', 'other'] : ['other', 'base'];
      for (const which of order) {
        const server = servers[which];
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        const traced: string[] = [];
        page.on('console', (message) => {
          if (message.text().startsWith('[trace]')) traced.push(message.text());
        });
        await page.addInitScript({ content: paintProbe('.react-flow__node-task') });
        await page.goto(`${server.origin}/#token=${server.token}`);
        const paint = Number(await waitForValue(page, 'window.__wgMark'));
        paints[which].push(paint);
        const layoutDone = Number(await page.evaluate(`performance.getEntriesByName('wg:layout-done')[0]?.startTime ?? NaN`));
        afterLayout[which].push(paint - layoutDone);
        console.log(`  run ${run + 1} ${which}: ${paint.toFixed(0)} ms, ${(paint - layoutDone).toFixed(0)} ms after the layout was done`);
        // Trace lines carry the wall clock (`@<epoch ms>`, the same in the page and its workers): shown after navigation.
        const origin = Number(await page.evaluate('performance.timeOrigin'));
        if (traced.length > 0)
          traced.push(
            `[trace] cards in the page ${String(await page.evaluate(`(() => { const all = [...document.querySelectorAll('.react-flow__node')]; const on = all.filter((n) => { const r = n.getBoundingClientRect(); return r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight; }); return all.length + ' (' + on.length + ' on screen), edges ' + document.querySelectorAll('.dep-edge').length + ', zoom ' + document.querySelector('.react-flow__viewport').style.transform; })()`))}`,
          );
        if (traced.length > 0) traced.push(`[trace] card in the page @${origin + Number(await page.evaluate('window.__wgSeen'))}`);
        for (const line of traced)
          console.log(`    ${line.replace(/@([\d.]+)/, (_, at: string) => `${(Number(at) - origin).toFixed(0)} ms`)}`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await Promise.all([servers.base.close(), servers.other.close()]);
  }
  const [a, b] = [median(paints.base), median(paints.other)];
  console.log(
    `first paint, ${COUNT} tasks (${SHAPE}), medians of ${RUNS}: base ${a.toFixed(0)} ms, other ${b.toFixed(0)} ms (other/base ${(b / a).toFixed(2)})`,
  );
  const [c, d] = [median(afterLayout.base), median(afterLayout.other)];
  console.log(
    `  from the layout done to the first card: base ${c.toFixed(0)} ms, other ${d.toFixed(0)} ms (other/base ${(d / c).toFixed(2)})`,
  );
  console.log(`  base:  ${paints.base.map((v) => v.toFixed(0)).join(' ')}\n  other: ${paints.other.map((v) => v.toFixed(0)).join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

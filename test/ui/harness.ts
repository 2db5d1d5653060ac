import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { opPath } from '../../src/shared/api-contract';
import type { OpInput, OpName, OpOutput } from '../../src/shared/ops/registry';
import type { Task } from '../../src/shared/task';
import { DISABLE_FEATURES } from './chromium-features';
import { startTestServer, type TestServer } from './test-server';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');
const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots');
const WG = join(ROOT, 'bin', 'wg.js');

/** A daemon in browser mode: where the page lives and a way to call ops as the page would. */
export interface BrowserModeServer {
  /** The address to open, with `#token=…`. */
  url: string;
  call<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>>;
  stop(): Promise<void>;
}

/**
 * The real daemon in browser mode: `wg service start` in a fresh project (the CLI and the renderer built). `env` is the
 * daemon's whole environment where given (a test's Claude Code pointed at a scripted model), with its own HOME still.
 */
export async function startBrowserModeServer(env?: NodeJS.ProcessEnv): Promise<BrowserModeServer> {
  ensureRendererBuilt();
  if (!existsSync(join(ROOT, 'out', 'cli', 'wg.cjs'))) throw new Error('the CLI is not built: run `npm run build:cli`');
  return startDaemon(env);
}

function ensureRendererBuilt(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`the renderer is not built: run \`npx electron-vite build\` (expected ${RENDERER_DIR}/index.html)`);
  }
}

/** Calls an op over HTTP exactly like the renderer's transport does. */
function httpCaller(origin: string, token: string): BrowserModeServer['call'] {
  return async (name, input) => {
    const response = await fetch(`${origin}${opPath(name)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as unknown;
    if (!response.ok) throw new Error(`${name} failed: ${JSON.stringify(body)}`);
    return body as OpOutput<typeof name>;
  };
}

async function startDaemon(given?: NodeJS.ProcessEnv): Promise<BrowserModeServer> {
  const project = mkdtempSync(join(tmpdir(), 'wg-ui-project-'));
  const home = join(project, 'home');
  mkdirSync(home);
  // A private HOME keeps the global ~/.workgraph config of whoever runs the tests out of it.
  const env = { ...(given ?? process.env), HOME: home, WG_RENDERER_DIR: RENDERER_DIR };
  const wg = (...args: string[]) => run(process.execPath, [WG, '--dir', project, ...args], { cwd: project, env });
  await wg('init');
  await wg('service', 'start');
  const { stdout } = await wg('--json', 'service', 'status');
  const status = JSON.parse(stdout) as { url?: string | null };
  if (!status.url) throw new Error(`the daemon reports no url: ${stdout}`);
  const url = new URL(status.url);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  return {
    url: status.url,
    call: httpCaller(url.origin, token),
    stop: async () => {
      await wg('service', 'stop').catch(() => undefined);
      rmSync(project, { recursive: true, force: true });
    },
  };
}

// ── the browser ──────────────────────────────────────────────────────────────

/**
 * Debian's Chromium, headless. With `reducedMotion` (the tests' default) every page it opens says the person asks for
 * less motion, as a system setting does (Playwright's own default is "no preference", page by page, so the pages are
 * told, not Chromium): the window's view then moves at once instead of in 150–250 ms steps (view-motion.ts). A test
 * waits for the view at rest before it looks anyway; with the frames in between the browser layer took 307–323
 * CPU-seconds, without them 264–280 (two pairs, one after the other). A test about motion asks for it on its page
 * (`reducedMotion` of newPage, or `page.emulateMedia`). The benches measure what a person sees by default: with motion.
 */
export async function launchBrowser({ reducedMotion = true } = {}): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      DISABLE_FEATURES,
    ],
  });
  if (!reducedMotion) return browser;
  const newPage = browser.newPage.bind(browser);
  const newContext = browser.newContext.bind(browser);
  browser.newPage = (options) => newPage({ reducedMotion: 'reduce', ...options });
  browser.newContext = (options) => newContext({ reducedMotion: 'reduce', ...options });
  return browser;
}

/** A test file's window on a real project holding `plan`, and the Chromium it opens in. */
export interface WindowOnPlan {
  server: TestServer;
  browser: Browser;
}

/**
 * Serves the window on a real project holding `plan` (test-server.ts) and launches Chromium before the
 * file's tests, and closes both after them. Its fields are set once the file's tests begin.
 */
export function windowOnPlan(plan: () => Task[]): WindowOnPlan {
  const shared = {} as WindowOnPlan;
  beforeAll(async () => {
    shared.server = await startTestServer({ tasks: plan() });
    shared.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}

export interface AppPage {
  page: Page;
  /** Console errors and CSP violations seen so far (the app must produce none). */
  problems: string[];
}

/** Opens the app at `url` and waits for the graph canvas. */
export async function openApp(browser: Browser, url: string, options: { bypassCSP?: boolean } = {}): Promise<AppPage> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...options });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  await page.locator('.react-flow').waitFor();
  return { page, problems };
}

/**
 * A picture of the page for a person to look at (test-output/screenshots), taken when WG_SCREENSHOTS is set
 * (`npm run screenshots`): it asserts nothing, and taking the browser layer's pictures cost every `npm test`
 * about 20 s of CPU (four of its files: 98 CPU-seconds with them, 85 without, one run after the other).
 */
export async function screenshot(page: Page, name: string, settle = 300): Promise<void> {
  if (!process.env.WG_SCREENSHOTS) return;
  // The last transitions end first, so the picture shows the page at rest (a wait for the picture only).
  await page.waitForTimeout(settle);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/**
 * Waits until the graph's picture is final: no layout pending (a dependency just added is drawn at once and placed
 * a moment later, which can move every card) and the view at rest (its transform the same at three looks 100 ms
 * apart). A drag or click aimed before that can land where a card or edge no longer is.
 */
export async function graphAtRest(page: Page): Promise<void> {
  await page.locator('.graph-status', { hasText: 'Laying out' }).waitFor({ state: 'detached', timeout: 30_000 });
  const transform = () => page.locator('.react-flow__viewport').first().getAttribute('style');
  let last = await transform();
  for (let still = 0, looks = 0; still < 2; looks++) {
    if (looks === 100) throw new Error('the view kept moving for 10 s');
    await page.waitForTimeout(100);
    const now = await transform();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/** Drags from one task's right-hand handle to another's left-hand one, as a user links tasks. */
export async function dragLink(page: Page, from: string, to: string): Promise<void> {
  const source = page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`);
  const target = page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`);
  // The layout may still be placing an edit, or the view moving (a fit is animated): aim once both are done.
  await graphAtRest(page);
  const [a, b] = [await source.boundingBox(), await target.boundingBox()];
  if (!a || !b) throw new Error(`handles of ${from} or ${to} are not on screen`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 30, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

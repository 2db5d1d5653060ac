import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCoordinator } from '../../src/core/connecting/remote-host';
import { toIpcReply } from '../../src/main/ipc/ipc-errors';
import type { ProjectsOverview } from '../../src/shared/projects';
import { killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { DaemonProject } from '../service/helpers/daemon-project';
import { launchBrowser, openApp, screenshot, startBrowserModeServer, type BrowserModeServer } from './harness';
import { goTo } from './page-helpers';

/** What the form sends. */
interface ConnectRequest {
  url: string;
  token: string;
}

/**
 * The window's remote pieces in browser mode (Chromium): the Service page's form that connects the
 * desktop app to a coordinator on another machine, and the Agent daemons page with a real daemon
 * connected, in light and dark. Electron cannot run here, so the page gets the preload's
 * `window.wgApp` from the test: its connect goes to the same core function main's handler calls,
 * against a second, real coordinator (`wg service start --listen … --insecure`).
 */
let server: BrowserModeServer;
let remote: DaemonProject;
let remoteUrl = '';
let browser: Browser;
const calls: ConnectRequest[] = [];

beforeAll(async () => {
  server = await startBrowserModeServer();
  remote = new DaemonProject('wg-ui-remote-');
  await remote.init();
  const started = await remote.start(['--listen', '0.0.0.0:0', '--insecure']);
  remoteUrl = (started.url ?? '').replace('0.0.0.0', '127.0.0.1').replace(/^http:\/\/[^:/]+/, 'http://127.0.0.1');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  killMarked();
  await browser?.close();
  await server?.stop();
  await remote?.remove();
});

/**
 * A page with the preload's wgApp (no other project open), its app:connect answered the way main
 * answers it (src/main/app-controller.ts connect, through src/main/ipc/app-ipc.ts): the same core
 * function, the projects as they now are, or the refusal's one sentence.
 */
async function withConnectBridge(page: Page): Promise<void> {
  await page.exposeFunction('__wgConnect', (request: ConnectRequest) => {
    calls.push(request);
    return toIpcReply(async (): Promise<ProjectsOverview> => {
      const host = await connectCoordinator(request.url, request.token);
      await host.close({ stopAgents: false });
      return {
        projects: [{ folder: host.where, name: host.name, current: true, service: 'running', working: [], failed: [], waiting: [] }],
      };
    });
  });
  await page.addInitScript(() => {
    type Reply = { ok: true; value: unknown } | { ok: false; error: { error: string; code: string } };
    const call = Reflect.get(window, '__wgConnect') as (request: unknown) => Promise<Reply>;
    const none = async () => ({ projects: [] });
    Reflect.set(window, 'wgApp', {
      'app:projects': none,
      'app:openFolder': none,
      'app:switchProject': none,
      'app:closeProject': none,
      'app:pauseProject': none,
      'app:connect': async (request: unknown) => {
        const reply = await call(request);
        if (reply.ok) return reply.value;
        throw reply.error;
      },
      onProjects: () => () => undefined,
      onShowTask: () => () => undefined,
    });
  });
}

describe('connecting the desktop app to a coordinator on another machine', () => {
  it('refuses a bad address or token with one sentence, and connects with a good one', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await withConnectBridge(page);
    await page.goto(server.url);
    await page.locator('.react-flow').waitFor();
    await goTo(page, 'Service');
    const form = page.getByRole('form', { name: 'Connect to a coordinator' });
    const address = form.getByLabel('Address');
    const token = form.getByLabel('Token');
    const connect = form.getByRole('button', { name: 'Connect' });
    const alert = page.getByRole('region', { name: 'Connect to a coordinator' }).getByRole('alert');

    await address.fill('ftp://build.example');
    await token.fill('anything');
    await connect.click();
    await expect.poll(() => alert.textContent()).toContain('The address must start with https:// or http://, not ftp://.');

    const base = new URL(remoteUrl).origin;
    await address.fill(base);
    await token.fill('not-the-token');
    await connect.click();
    await expect.poll(() => alert.textContent()).toContain(`The coordinator at ${base} refused the token.`);
    // Nothing changed: the page still shows its own coordinator, the fields keep what was typed.
    expect(await address.inputValue()).toBe(base);
    expect(await page.getByRole('status').count()).toBe(0);
    await screenshot(page, 'service-connect-refused');

    await address.fill(remoteUrl);
    await token.fill('');
    await connect.click();
    await page
      .getByRole('status')
      .filter({ hasText: `Connected to ${new URL(base).host}.` })
      .waitFor();
    expect(calls.map((c) => c.token)).toEqual(['anything', 'not-the-token', '']);
    await context.close();
  });

  it('is not offered in a plain browser page, which belongs to its own server', async () => {
    const { page } = await openApp(browser, server.url);
    await goTo(page, 'Service');
    await page.getByRole('heading', { name: 'Service' }).waitFor();
    expect(await page.getByRole('form', { name: 'Connect to a coordinator' }).count()).toBe(0);
    await page.close();
  });
});

describe('the Agent daemons page', () => {
  it('shows a connected daemon, its job, a waiting task and the tokens, in light and dark', async () => {
    const created = await server.call('token:create', { name: 'laptop', roles: ['dev'], repos: ['acme/app'] });
    await server.call('token:create', { name: 'ci-runner' });
    const origin = new URL(server.url).origin;
    startAgentd('laptop.local', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: origin,
      WG_AGENT_TOKEN: created.token,
      REPO_PATHS: `acme/app=${makeRepo('wg-ui-daemon-')}`,
      ROLES: 'dev',
      MAX_JOBS: '2',
      CLI_COMMAND: 'sh',
      CLI_ARGS_TEMPLATE: `-c 'echo working on $WG_TASK_ID; sleep 120'`,
    });
    await server.call('task:add', { title: 'Fix the login form', id: 'fix-login', executor: 'remote', repo: 'acme/app', role: 'dev' });
    await server.call('task:add', {
      title: 'Check the release on staging',
      id: 'qa-release',
      executor: 'remote',
      repo: 'acme/app',
      role: 'qa',
    });
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.locator('.react-flow').waitFor();
      await goTo(page, 'Agent daemons');
      const daemons = page.getByRole('table', { name: 'Daemons' });
      await daemons.getByText('laptop.local').waitFor({ timeout: 30_000 });
      await daemons.getByRole('button', { name: 'fix-login' }).waitFor({ timeout: 30_000 });
      await page
        .getByRole('region', { name: 'Waiting for a daemon' })
        .getByRole('button', { name: 'qa-release' })
        .waitFor({ timeout: 30_000 });
      await page.getByRole('table', { name: 'Tokens' }).getByText('ci-runner').waitFor();
      await screenshot(page, `agent-daemons-${scheme}`);
      await context.close();
    }
  });
});

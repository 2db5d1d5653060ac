import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { Task } from '../../src/shared/task';
import { connectedDag, eventAt } from '../bench/ui/big-graph';
import { killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { makeAgent } from '../renderer/support/fixtures';
import type { Workgraph } from '../renderer/support/workgraph';
import { commitIn, makeProjectRepo, runWorktree, writeIn } from '../renderer/support/worktree-states';
import { graphAtRest, launchBrowser, screenshot } from './harness';
import { axeFindings, goTo } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * Issue 29, item 5: every page passes axe-core with no serious or critical finding in both
 * themes, with something on it (runs of every kind with their output, a connected agent daemon
 * and its token, worktrees in every state with a diff); Enter on a card moves the focus into the
 * inspector; single-key shortcuts and a help overlay listing them.
 */
const PAGES = [
  'Graph',
  'Agents',
  'Run output',
  'Agency',
  'Worktrees',
  'Agent daemons',
  'Models',
  'Executors',
  'Evaluations',
  'Settings',
  'Service',
];

/** What each populated page shows once its content is there. */
const SHOWS: Record<string, string | RegExp> = {
  Agents: 'evaluator',
  'Run output': /Step \d+: reading the next file/,
  'Agent daemons': 'laptop.local',
  Worktrees: 'recoverable',
};

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(populate);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  killMarked();
  await browser?.close();
  await server?.close();
});

/**
 * The 60-task plan with what the other pages show: a work run on each running task (output in a
 * terminal), an assigner's and an evaluator's run beside them, a failed run, an agent daemon connected
 * with its token, and the project a git repository whose runs left worktrees in each state (active with
 * a diff, dirty, recoverable, conflicted, merged).
 */
async function populate(project: Workgraph): Promise<void> {
  const plan = connectedDag(60);
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const running = plan.filter((task) => task.status === 'in-progress');
  const agents: Agent[] = running.map((task, i) =>
    makeAgent({
      id: `agent-${i + 1}`,
      task_id: task.id,
      executor: 'claude',
      model: 'sonnet',
      started_at: minutesAgo(5 + i),
      cost_usd: 0.12 * (i + 1),
      tokens_in: 12_000,
      tokens_out: 900,
      turns: 7,
    }),
  );
  const done = plan.find((task) => task.status === 'done') as Task;
  const failed = plan.find((task) => task.status === 'failed') as Task;
  const clash = plan.find((task) => task.status === 'open') as Task;
  agents.push(
    // Working until its done merges its worktree (below).
    makeAgent({ id: 'agent-20', task_id: done.id, executor: 'claude', model: 'sonnet', started_at: minutesAgo(90) }),
    makeAgent({
      id: 'agent-21',
      task_id: done.id,
      executor: 'claude',
      model: 'haiku',
      purpose: 'assign',
      state: 'done',
      started_at: minutesAgo(91),
      ended_at: minutesAgo(90),
    }),
    makeAgent({
      id: 'agent-22',
      task_id: done.id,
      executor: 'claude',
      model: 'haiku',
      purpose: 'evaluate',
      state: 'done',
      started_at: minutesAgo(79),
      ended_at: minutesAgo(78),
    }),
    makeAgent({
      id: 'agent-23',
      task_id: failed.id,
      executor: 'shell',
      state: 'failed',
      started_at: minutesAgo(30),
      ended_at: minutesAgo(29),
      exit_code: 1,
      reason: 'exit code 1: tests failed',
    }),
    makeAgent({ id: 'agent-31', task_id: clash.id, executor: 'claude', model: 'sonnet', started_at: minutesAgo(15) }),
  );
  // Working until their dones: one merges its worktree, the other is refused by a conflict (below).
  const finishing = new Set([done.id, clash.id]);
  await project.seed(
    plan.map((task) => ({
      ...task,
      ...(finishing.has(task.id) ? { status: 'in-progress' as const, completed_at: null } : {}),
      assigned: agents.find((a) => a.task_id === task.id && a.purpose === 'task' && a.state === 'working')?.id ?? null,
    })),
    agents,
  );
  for (const agent of agents.filter((a) => a.state === 'working')) project.writeOutput(agent.id, 400, eventAt);

  makeProjectRepo(project, { 'src/api.ts': 'export const api = {\n  retries: 1,\n};\n', 'README.md': '# project\n' });
  const [first, second] = running as [Task, Task];
  writeIn(await runWorktree(project, 'agent-1', first.id), 'src/api.ts', 'export const api = {\n  retries: 3,\n  timeout: 30,\n};\n');
  writeIn(await runWorktree(project, 'agent-2', second.id), 'notes.txt', 'to check\n');
  writeIn(await runWorktree(project, 'agent-23', failed.id), 'src/api.ts', 'export const api = {};\n');
  // A run that ended with commits nothing merged: recoverable.
  commitIn(await runWorktree(project, 'agent-30', (plan.at(-1) as Task).id), { 'src/retry.ts': 'export {};\n' }, 'retry');
  // A done refused by a conflict with main.
  commitIn(await runWorktree(project, 'agent-31', clash.id), { 'src/api.ts': 'export const api = { retries: 5 };\n' }, 'five');
  commitIn(await runWorktree(project, 'agent-20', done.id), { 'docs/api.md': '# API\n' }, 'document the API');
  commitIn(project.folder, { 'src/api.ts': 'export const api = { retries: 2 };\n' }, 'two');
  await project.callAsAgent('agent-31', 'task:done', { id: clash.id }).catch(() => undefined);
  await project.updateAgent('agent-31', { state: 'failed', ended_at: minutesAgo(10), exit_code: 1, reason: 'merge conflict' });
  // A done that merged its work.
  await project.callAsAgent('agent-20', 'task:done', { id: done.id });
  await project.updateAgent('agent-20', { state: 'done', ended_at: minutesAgo(80), exit_code: 0 });

  const laptop = await project.call('token:create', { name: 'laptop', roles: ['dev'], repos: ['acme/app'] });
  startAgentd('laptop.local', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: new URL(project.url).origin,
    WG_AGENT_TOKEN: laptop.token,
    REPO_PATHS: `acme/app=${makeRepo('wg-ui-a11y-daemon-')}`,
    ROLES: 'dev',
    MAX_JOBS: '2',
    CLI_COMMAND: 'sh',
  });
}

/** Pages a test opened: closed after it even when it failed, so that a failed test's page asks nothing more. */
const opened = new Set<Page>();
afterEach(async () => {
  await Promise.all([...opened].map((page) => page.close().catch(() => undefined)));
  opened.clear();
});

async function open(colorScheme: 'light' | 'dark', size = { width: 1440, height: 900 }): Promise<Page> {
  // axe is injected as a script: the app's CSP (rightly) allows no inline script, so it is bypassed here.
  const page = await browser.newPage({ viewport: size, colorScheme, bypassCSP: true });
  opened.add(page);
  await page.goto(`${server.origin}/#token=${server.token}`);
  await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 60_000 });
  return page;
}

describe('accessibility (axe-core) on every page', () => {
  it.each(['light', 'dark'] as const)(
    'finds nothing serious or critical on any page in the %s theme',
    async (theme) => {
      const page = await open(theme);
      const found: Record<string, string[]> = {};
      for (const name of PAGES) {
        await goTo(page, name);
        // The pages are checked with something on them, not empty.
        const content = SHOWS[name];
        if (content) await page.locator('main').getByText(content).first().waitFor({ timeout: 30_000 });
        // Its first loads are in (the page says so to screen readers), before axe reads it.
        await page.locator('main[aria-busy="false"]').waitFor();
        if (content) await screenshot(page, `a11y-${name.toLowerCase().replace(' ', '-')}-${theme}-1440`);
        const findings = await axeFindings(page);
        if (findings.length > 0) found[name] = findings;
      }
      // The inspector, and the task form over it.
      await goTo(page, 'Graph');
      // t24: running, in a worktree with a diff, which the inspector shows.
      await page.getByRole('combobox', { name: 'Search tasks' }).fill('Task 24:');
      await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
      const panel = page.getByRole('complementary', { name: 'Task inspector' });
      await panel.getByRole('region', { name: 'Worktree' }).getByText('retries: 3').first().waitFor();
      const inspector = await axeFindings(page);
      if (inspector.length > 0) found.inspector = inspector;
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('dialog').waitFor();
      // Its effects have run: the focus is in it.
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
      const form = await axeFindings(page);
      if (form.length > 0) found['task form'] = form;
      await page.close();
      expect(found).toEqual({});
    },
    180_000,
  );
});

describe('the keyboard on the graph', () => {
  it('Enter on a card opens the inspector with the focus in it: Tab then reaches Edit', async () => {
    const page = await open('light');
    // The card is pinned by its id once read: the order of the cards in the page changes as those
    // around the screen are added, and `.first()` again could be another card.
    const id = await page.locator('.react-flow__node').first().getAttribute('data-id');
    const card = page.locator(`.react-flow__node[data-id="${id}"]`);
    await card.focus();
    await page.keyboard.press('Enter');
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await inspector.waitFor();
    await expect.poll(() => page.evaluate(`document.activeElement?.closest('aside.inspector')?.dataset.task`)).toBe(id);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Edit');
    // Escape gives the focus back to the card.
    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(`document.activeElement?.dataset?.id`)).toBe(id);
    await page.close();
  }, 120_000);

  // The longest key, "Alt+↑ / Alt+↓ (on a ready card, board)", wraps out of a border too narrow, and the sidebar comes
  // before the toolbar.
  it('draws each key of the help list inside its border, and says the Tab stops in the order Tab takes them', async () => {
    const page = await open('light', { width: 1024, height: 700 });
    await page.locator('body').press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    // A label wrapped as inline text is drawn as one box per line, its border broken open at each.
    const broken = await help
      .locator('kbd')
      .evaluateAll((keys) =>
        keys
          .filter(
            (key) =>
              key.getClientRects().length !== 1 ||
              key.getBoundingClientRect().right > (key.parentElement?.getBoundingClientRect().right ?? 0) + 0.5,
          )
          .map((key) => key.textContent),
      );
    expect(broken).toEqual([]);
    await screenshot(page, 'shortcut-help-light-1024');
    const tabLine = await help
      .locator('.shortcut-list > div', { has: page.locator('kbd', { hasText: /^Tab$/ }) })
      .locator('dd')
      .textContent();
    expect(tabLine).toBe(
      'Skip to the tasks (the first stop: Enter goes straight to a card), then the sidebar, the toolbar and any notice under it, the cards, their edges (when zoomed in to the cards), and the zoom and map buttons',
    );
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    // Cards with their edges on screen (the first view's are the work, unconnected): a running task and its
    // neighbours, at card size.
    await page.getByRole('button', { name: 'Show all' }).click();
    await page.locator('.react-flow__node', { hasText: 'running' }).first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: 'Task inspector' }).waitFor();
    await page.keyboard.press('.');
    await page.locator('.focus-chip').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.dep-edge').first().waitFor({ state: 'attached' });
    // What Tab reaches from the top of the page (from the skip link, once Tab has come round to it), each part once,
    // until it leaves the page.
    const parts: string[] = [];
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const part = await page.evaluate(() => {
        const at = document.activeElement;
        if (!at || at === document.body) return 'page';
        if (at.matches('.skip-link')) return 'skip link';
        if (at.closest('.sidebar')) return 'sidebar';
        // A notice under the toolbar (the coordinator paused: Resume) is said with it.
        if (at.closest('.graph-toolbar, .pause-banner')) return 'toolbar';
        if (at.closest('.react-flow__node')) return 'cards';
        if (at.closest('.react-flow__edge, .dep-edge')) return 'edges';
        if (at.closest('.react-flow')) return 'zoom and map buttons';
        return `elsewhere: ${at.tagName} ${at.getAttribute('aria-label') ?? at.textContent}`;
      });
      if (parts.length === 0 && part !== 'skip link') continue;
      if (part === 'page' || (part === 'skip link' && parts.length > 1)) break;
      if (parts.at(-1) !== part) parts.push(part);
    }
    expect(parts).toEqual(['skip link', 'sidebar', 'toolbar', 'cards', 'edges', 'zoom and map buttons']);
    await page.close();
  }, 120_000);

  it('has shortcuts for search, new task, focus and a help overlay listing them, none while typing', async () => {
    const page = await open('dark', { width: 1024, height: 700 });
    await page.locator('body').press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('New task');
    await screenshot(page, 'shortcut-help-dark-1024');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(`document.activeElement?.getAttribute('aria-label')`)).toBe('Search tasks');
    // Typed into the search box, "n" is a letter, not a new task.
    await page.keyboard.type('n');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.locator('.react-flow__node').first().focus();
    await page.keyboard.press('n');
    await page.getByRole('dialog', { name: 'New task' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // Focus: a selected task and what is two steps before or after it; again: all.
    await page.locator('.react-flow__node').first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: 'Task inspector' }).waitFor();
    const all = await page.locator('.react-flow__node').count();
    await page.keyboard.press('.');
    await page.locator('.focus-chip').waitFor();
    expect(await page.getByText(/of 60 tasks/).textContent()).toMatch(/^\d+ of 60 tasks$/);
    const shownCount = Number((await page.getByText(/of 60 tasks/).textContent())?.split(' ')[0]);
    expect(shownCount).toBeGreaterThan(1);
    expect(shownCount).toBeLessThan(60);
    await screenshot(page, 'focus-dark-1024');
    await page.keyboard.press('.');
    await page.locator('.focus-chip').waitFor({ state: 'detached' });
    expect(all).toBeGreaterThan(0);
    await page.close();
  }, 120_000);

  it.each([
    [{ width: 1440, height: 900 }, 'light'],
    [{ width: 1024, height: 700 }, 'dark'],
  ] as const)(
    'focuses on a task from the inspector’s Focus button, 1 to 5 steps by choice or + and −, its title whole (%o, %s)',
    async (size, theme) => {
      const page = await open(theme, size);
      // t30 (running) has more around it at each step: 7, 17, 23, 29 and 31 tasks from 1 to 5 steps.
      await page.getByRole('combobox', { name: 'Search tasks' }).fill('Task 30:');
      await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
      const inspector = page.getByRole('complementary', { name: 'Task inspector' });
      await inspector.waitFor();
      const title = (await inspector.locator('.inspector-title').textContent()) ?? '';
      const focus = inspector.getByRole('button', { name: 'Focus', exact: true });
      await focus.click();
      await page.locator('.focus-chip').waitFor();
      expect(await focus.getAttribute('aria-pressed')).toBe('true');
      const shown = async () => Number((await page.getByText(/ of 60 tasks$/).textContent())?.split(' ')[0]);
      const steps = page.getByRole('combobox', { name: 'Steps around the focused task' });
      expect(await steps.inputValue()).toBe('2');
      await expect.poll(shown).toBe(17);
      await steps.selectOption('1');
      await expect.poll(shown).toBe(7);
      await steps.selectOption('3');
      await expect.poll(shown).toBe(23);
      // Keys while focused: − one step fewer, + one more (at most 5).
      await page.locator('body').press('-');
      await expect.poll(shown).toBe(17);
      for (let i = 0; i < 4; i++) await page.locator('body').press('+');
      await expect.poll(() => steps.inputValue()).toBe('5');
      expect(await shown()).toBe(31);
      // The chip says around what, whole: the toolbar has room for it.
      const chip = page.locator('.focus-chip-title');
      expect(await chip.textContent()).toBe(`Around ${title}`);
      expect(await chip.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
      await screenshot(page, `focus-steps-${theme}-${size.width}`);
      // Focus again: every task.
      await focus.click();
      await page.locator('.focus-chip').waitFor({ state: 'detached' });
      expect(await focus.getAttribute('aria-pressed')).toBe('false');
      await page.close();
    },
    60_000,
  );
});

describe('motion', () => {
  /**
   * The view's transform before Zoom in, 50 ms into it, and once it is over, on the page's own clock (Playwright's,
   * paused once the view is at rest): how a frame falls on a loaded machine then changes nothing.
   */
  async function zoomInSteps(reducedMotion: 'reduce' | 'no-preference'): Promise<{ before: string; early: string; after: string }> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, reducedMotion });
    await page.clock.install();
    await page.goto(`${server.origin}/#token=${server.token}`);
    await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 60_000 });
    await graphAtRest(page);
    await page.clock.pauseAt(Date.now() + 60_000);
    const transform = async () => (await page.locator('.react-flow__viewport').first().getAttribute('style')) ?? '';
    const before = await transform();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.clock.runFor(50);
    const early = await transform();
    await page.clock.runFor(1000);
    const after = await transform();
    await page.close();
    return { before, early, after };
  }

  it('moves the view at once for a person whose system asks for less motion, and in steps otherwise', async () => {
    const reduced = await zoomInSteps('reduce');
    expect(reduced.after).not.toBe(reduced.before);
    expect(reduced.early).toBe(reduced.after);
    const moving = await zoomInSteps('no-preference');
    expect(moving.after).not.toBe(moving.before);
    expect([moving.before, moving.after]).not.toContain(moving.early);
  }, 120_000);
});

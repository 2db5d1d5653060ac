import type { Page } from 'playwright-core';

/** Polls an expression in the page (string predicates of waitForFunction would need 'unsafe-eval'). */
export async function waitForValue(page: Page, expression: string, timeoutMs = 60_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value: unknown = await page.evaluate(expression);
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(20);
  }
}

/**
 * Records, as window.__wgMark, when an element matching `selector` first appears, two frames
 * later (once it is painted). In-page code is passed as strings: this file is type-checked
 * without the DOM library.
 */
export const paintProbe = (selector: string) => `
  new MutationObserver((_, observer) => {
    if (!document.querySelector(${JSON.stringify(selector)})) return;
    observer.disconnect();
    window.__wgSeen = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__wgMark = performance.now(); }));
  }).observe(document, { childList: true, subtree: true });
`;

/** Frames drawn while `during` runs, per second (requestAnimationFrame ticks in the page). */
export async function framesWhile(page: Page, during: () => Promise<void>): Promise<number> {
  await page.evaluate(`(() => {
    window.__wgFrames = 0; window.__wgCounting = true;
    const tick = () => { window.__wgFrames++; if (window.__wgCounting) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    window.__wgStart = performance.now();
  })()`);
  await during();
  const [frames, ms] = (await page.evaluate(
    `(() => { window.__wgCounting = false; return [window.__wgFrames, performance.now() - window.__wgStart]; })()`,
  )) as [number, number];
  return frames / (ms / 1000);
}

/** The zoom of the graph view, read from React Flow's viewport transform. */
export async function currentZoom(page: Page): Promise<number> {
  const style = String(await page.evaluate(`document.querySelector('.react-flow__viewport')?.style.transform ?? ''`));
  const match = /scale\(([\d.e-]+)\)/.exec(style);
  return match ? Number(match[1]) : Number.NaN;
}

/** Zooms with the mouse wheel over the middle of the canvas until the zoom is near `target`. */
export async function zoomTo(page: Page, target: number): Promise<number> {
  const box = await page.getByTestId('graph-canvas').boundingBox();
  if (!box) throw new Error('no graph canvas');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 80; i++) {
    const zoom = await currentZoom(page);
    if (Math.abs(Math.log(zoom / target)) < 0.08) return zoom;
    await page.mouse.wheel(0, zoom > target ? 100 : -100);
    await page.waitForTimeout(30);
  }
  return currentZoom(page);
}

/** Drags the view around the middle of the canvas in small steps (about 60 a second). */
export async function panAround(page: Page, steps = 90): Promise<void> {
  const box = await page.getByTestId('graph-canvas').boundingBox();
  if (!box) throw new Error('no graph canvas');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < steps; i++) {
    const angle = (i / steps) * Math.PI * 2;
    await page.mouse.move(cx + Math.cos(angle) * 220, cy + Math.sin(angle) * 140);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
}

/** Zooms in and out around the current zoom with the wheel, a step every 16 ms. */
export async function wheelAround(page: Page, steps = 60): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, i % 20 < 10 ? -30 : 30);
    await page.waitForTimeout(16);
  }
}

/**
 * Adds a dependency over HTTP from the page and resolves when its edge is drawn and no layout is
 * pending; window.__wgEdgeVisible is how long until its edge was first in the page (placed or not).
 */
export function addDependencyInPage(task: string, dependency: string): string {
  return `(async () => {
    const token = sessionStorage.getItem('wg.token');
    const start = performance.now();
    window.__wgEdgeVisible = null;
    const settled = new Promise((resolve, reject) => {
      // A bench that waits forever says nothing; one that stops says what never came.
      setTimeout(() => reject(new Error('the new edge ${dependency}->${task} was not drawn, or the layout never settled, within 30 s')), 30000);
      const check = () => {
        const drawn = document.querySelector('.dep-edge[data-id="${dependency}->${task}"]');
        if (drawn && window.__wgEdgeVisible === null) window.__wgEdgeVisible = performance.now() - start;
        if (drawn && !document.querySelector('.graph-status')) resolve(performance.now());
        else requestAnimationFrame(check);
      };
      check();
    });
    await fetch('/api/op/task:addDep', {
      method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ task: '${task}', dependency: '${dependency}' }),
    });
    return (await settled) - start;
  })()`;
}

/**
 * Finds a task with the toolbar's search as a person does (words, Enter, Escape), and waits for its card in view.
 * `typed`: the words typed a key at a time, 80 ms apart (each key searches again), rather than pasted.
 */
export async function showFound(page: Page, found: { words: string; id: string }, typed = false): Promise<void> {
  const search = page.getByRole('combobox', { name: 'Search tasks' });
  if (typed) {
    await search.click();
    await page.keyboard.type(found.words, { delay: 80 });
  } else await search.fill(found.words);
  await search.press('Enter');
  await page.keyboard.press('Escape');
  await page.locator(`.react-flow__node[data-id="${found.id}"]`).waitFor({ timeout: 60_000 });
}

/**
 * What a person filtering the graph does, step by step: finished work hidden and shown again, then one state's
 * tasks framed (its chip: failed where there are any) and every task again (the chip once more). The caller waits each step out.
 */
export function filterSteps(page: Page): Array<() => Promise<void>> {
  const hideFinished = page.getByRole('checkbox', { name: 'Hide finished' });
  // The failed tasks' chip where a plan has failed tasks (a person looks for those first), else the first chip shown.
  // Chosen at the first press, and the same chip pressed again.
  let chosen: string | null = null;
  const chip = async () => {
    if (chosen === null) {
      const failed = page.locator('.state-counts .state-chip[data-state="failed"]');
      const first = page.locator('.state-counts .state-chip[data-state]:not([disabled])').first();
      chosen = (await failed.count()) > 0 ? 'failed' : await first.getAttribute('data-state');
    }
    return page.locator(`.state-counts .state-chip[data-state="${chosen}"]`);
  };
  return [() => hideFinished.check(), () => hideFinished.uncheck(), async () => (await chip()).click(), async () => (await chip()).click()];
}

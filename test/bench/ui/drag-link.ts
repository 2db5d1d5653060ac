import type { Page } from 'playwright-core';
import type { Task } from '../../../src/shared/task';
import { dragLink } from '../../ui/harness';

/** The ids of the cards whose box lies whole in the canvas, nearest its middle first. */
async function cardsInView(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid="graph-canvas"]').getBoundingClientRect();
    const cx = canvas.x + canvas.width / 2, cy = canvas.y + canvas.height / 2;
    return [...document.querySelectorAll('.react-flow__node[data-id]')]
      .map((node) => ({ id: node.dataset.id, box: node.getBoundingClientRect() }))
      .filter(({ box }) => box.left >= canvas.left && box.right <= canvas.right && box.top >= canvas.top && box.bottom <= canvas.bottom)
      .sort((a, b) => Math.hypot(a.box.x - cx, a.box.y - cy) - Math.hypot(b.box.x - cx, b.box.y - cy))
      .map(({ id }) => id);
  })()`)) as string[];
}

/** Every task that comes after `id`, directly or through others, with `extra` links (dependency → dependent) added. */
function downstreamOf(tasks: readonly Task[], id: string, extra: ReadonlyArray<{ from: string; to: string }> = []): Set<string> {
  const dependents = new Map<string, string[]>();
  const link = (from: string, to: string) => dependents.set(from, [...(dependents.get(from) ?? []), to]);
  for (const task of tasks) for (const before of task.after) link(before, task.id);
  for (const { from, to } of extra) link(from, to);
  const seen = new Set<string>();
  const queue = [id];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const dependent of dependents.get(next) ?? []) {
      if (!seen.has(dependent)) {
        seen.add(dependent);
        queue.push(dependent);
      }
    }
  }
  return seen;
}

/**
 * Two cards in view that a person could link (the second after the first) without closing a loop or repeating a
 * link, nearest the middle first, leaving `kept` (a link made after it) free of a loop too; null when there is none.
 */
export async function linkableInView(
  page: Page,
  tasks: readonly Task[],
  kept: { from: string; to: string },
): Promise<{ from: string; to: string } | null> {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const inView = (await cardsInView(page)).filter((id) => byId.has(id) && id !== kept.from && id !== kept.to);
  for (const to of inView) {
    const after = downstreamOf(tasks, to);
    for (const from of inView) {
      if (from === to || after.has(from) || byId.get(to)?.after.includes(from)) continue;
      if (!downstreamOf(tasks, kept.to, [{ from, to }]).has(kept.from)) return { from, to };
    }
  }
  return null;
}

/**
 * Drags a link from one card's handle to another's, as a person does, and returns how long from the mouse's release
 * until the new edge is in the page (ms), or NaN when it never came within 30 s.
 */
export async function dragLinkToEdge(page: Page, link: { from: string; to: string }): Promise<number> {
  await page.evaluate(`(() => {
    window.__wgDragEdge = null;
    const selector = '.dep-edge[data-id="${link.from}->${link.to}"]';
    new MutationObserver((_, observer) => {
      if (!document.querySelector(selector) || window.__wgReleased === undefined) return;
      window.__wgDragEdge = performance.now() - window.__wgReleased;
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-id'] });
    window.__wgReleased = undefined;
    window.addEventListener('pointerup', () => { window.__wgReleased = performance.now(); }, { once: true, capture: true });
  })()`);
  await dragLink(page, link.from, link.to);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ms = (await page.evaluate('window.__wgDragEdge')) as number | null;
    if (ms !== null) return ms;
    await page.waitForTimeout(20);
  }
  return Number.NaN;
}

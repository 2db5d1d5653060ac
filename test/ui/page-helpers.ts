import type { Page } from 'playwright-core';

export const card = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"] .task-card`);

/** Screen coordinates of the middle of an edge's path (edges are curves: their box centre may miss them). */
export async function edgeMidpoint(page: Page, edgeId: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate((id) => {
    const path = document.querySelector<SVGPathElement>(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`);
    const matrix = path?.getScreenCTM();
    if (!path || !matrix) return null;
    const p = path.getPointAtLength(path.getTotalLength() / 2);
    return { x: p.x * matrix.a + p.y * matrix.c + matrix.e, y: p.x * matrix.b + p.y * matrix.d + matrix.f };
  }, edgeId);
  if (!point) throw new Error(`edge ${edgeId} is not drawn`);
  return point;
}

export async function goTo(page: Page, pageName: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: new RegExp(`^${pageName}`) }).click();
}

export async function closeInspector(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Close inspector' });
  if (await close.isVisible()) await close.click();
}

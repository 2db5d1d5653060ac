import { connectedComponents, type Component } from './connected-components';
import { layoutComponent, type ComponentLayout } from './dagre-layout';
import type { LayoutInput, LayoutPositions } from './layout-types';
import { packComponents } from './pack-components';

/** Above this many tasks the faster ranker and ordering are used (see fast-order.ts). */
export const FAST_LAYOUT_ABOVE = 400;
const CACHE_LIMIT = 2000;

/**
 * Component layouts by structure. A new dependency usually touches one component, so
 * re-laying out the graph after an edit only runs dagre on that one.
 */
const cache = new Map<string, ComponentLayout>();

export interface PendingComponent {
  key: string;
  component: Component;
}

/** A layout split into what is known (cached, unconnected tasks) and the components still to lay out. */
export interface LayoutPlan {
  fast: boolean;
  singles: Component['nodes'];
  /** In canvas order; `layout` is filled from the cache or by `finishLayout`. */
  slots: Array<{ key: string; layout: ComponentLayout | null }>;
  pending: PendingComponent[];
}

export function planLayout(input: LayoutInput): LayoutPlan {
  const fast = input.nodes.length > FAST_LAYOUT_ABOVE;
  const plan: LayoutPlan = { fast, singles: [], slots: [], pending: [] };
  const queued = new Set<string>();
  for (const component of connectedComponents(input)) {
    if (component.edges.length === 0) {
      plan.singles.push(...component.nodes);
      continue;
    }
    const key = signature(component, fast);
    const layout = cache.get(key) ?? null;
    plan.slots.push({ key, layout });
    if (!layout && !queued.has(key)) {
      queued.add(key);
      plan.pending.push({ key, component });
    }
  }
  return plan;
}

/** Stores the computed layouts and places everything on one canvas. */
export function finishLayout(plan: LayoutPlan, computed: ReadonlyMap<string, ComponentLayout>): LayoutPositions {
  for (const [key, layout] of computed) rememberLayout(key, layout);
  return placeReady(plan, computed).positions;
}

/** Caches one component's layout as soon as it is known, so a plan made meanwhile already has it. */
export function rememberLayout(key: string, layout: ComponentLayout): void {
  if (cache.size >= CACHE_LIMIT && !cache.has(key)) cache.clear();
  cache.set(key, layout);
}

/**
 * Positions of the unconnected tasks and of the components laid out so far, up to the first one
 * still missing. Components are stacked top-down, so these positions are already final: a first
 * paint can show them while the rest is still being computed.
 */
export function placeReady(
  plan: LayoutPlan,
  computed: ReadonlyMap<string, ComponentLayout>,
): { positions: LayoutPositions; complete: boolean } {
  const laidOut: ComponentLayout[] = [];
  let complete = true;
  for (const slot of plan.slots) {
    const layout = slot.layout ?? computed.get(slot.key);
    if (!layout) {
      complete = false;
      break;
    }
    laidOut.push(layout);
  }
  return { positions: packComponents(plan.singles, laidOut), complete };
}

/** The whole layout in this thread (small graphs, tests, no workers). */
export function layoutGraph(input: LayoutInput): LayoutPositions {
  const plan = planLayout(input);
  const computed = new Map<string, ComponentLayout>();
  for (const { key, component } of plan.pending) computed.set(key, layoutComponent(component, plan.fast));
  return finishLayout(plan, computed);
}

function signature(component: Component, fast: boolean): string {
  const nodes = component.nodes.map((node) => `${node.id}:${node.width}x${node.height}`).join(',');
  const edges = component.edges.map((edge) => `${edge.source}>${edge.target}`).join(',');
  return `${fast ? 'f' : 'q'}|${nodes}|${edges}`;
}

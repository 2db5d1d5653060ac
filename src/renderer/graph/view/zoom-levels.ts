/**
 * How the graph is drawn at each zoom. Card titles are 15 px: at READABLE_ZOOM they are about
 * 10.5 px on screen, the least a fit goes to. Below CARD_ZOOM cards are drawn compact on a canvas
 * (status colour and a title at a readable size), below CLUSTER_ZOOM as one box per group with its
 * counts per state: no element per task is left in the page when zoomed out.
 */
export const READABLE_ZOOM = 0.7;
export const CARD_ZOOM = 0.55;
export const CLUSTER_ZOOM = 0.1;
/** Below this a compact card is too narrow for its title (draw-overview.ts: 56 px of a 232-wide card): a Fit this far out shows clusters. */
export const TITLE_ZOOM = 0.25;
export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 2;

export type DrawLevel = 'cards' | 'compact' | 'clusters';

/** `clustersUpTo`: the zoom below which clusters are drawn (higher than CLUSTER_ZOOM where a Fit of a plan's stages goes higher: viewport-math.ts clustersUpTo). */
export function levelAt(zoom: number, clustersUpTo = CLUSTER_ZOOM): DrawLevel {
  if (zoom >= CARD_ZOOM) return 'cards';
  if (zoom >= clustersUpTo) return 'compact';
  return 'clusters';
}

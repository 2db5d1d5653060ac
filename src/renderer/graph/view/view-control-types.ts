import type { Box } from '../layout/layout-types';
import type { WorkTarget } from './work-set';

/*
 * What the graph page and the view control (use-view-control.ts) say to each other: the lens the view asks for, what
 * it frames, whether a task asked for is shown, and the moves the page can ask of the view. In a file of their own so
 * the page and the controls name them without the hook.
 */

/** Tasks shown by themselves, laid out on their own (a lens): what the view asks the page for when they lie too far apart. */
export interface LensRequest {
  ids: string[];
  about: string;
  /** Which framing asked for it (WorkTarget.of). */
  of: string;
  /** The widest grid of unlinked cards one readable screen holds. */
  gridColumns: number;
  /**
   * The lens shown, following what it frames as the tasks change (its tasks now): the page keeps its key
   * and grid, so that the cards that stay keep their places and the view is not fitted again.
   */
  live?: boolean;
}

/** What the view frames on opening and on W, and how to reach a task's neighbours (work-set.ts). */
export interface WorkFocus {
  target: WorkTarget | null;
  neighbours: (id: string) => readonly string[];
  lensOf: (target: readonly string[], room: number) => string[];
  /** What a lens frames now, by its framing (WorkTarget.of: the work, a state's tasks); null for one that does not change (a cluster's). */
  targetOf: (of: string) => WorkTarget | null;
}

/**
 * Whether the page shows a task asked for: `shown` (its filter shows it: laid out, or about to be), `widened`
 * (the filter left it out and was widened to show it: laid out in a moment), `absent` (no such task, or one
 * the window folds away).
 */
export type Reveal = 'shown' | 'widened' | 'absent';

export interface ViewControl {
  /**
   * Whether the first view is set. Until then no card is put in the page: cards at the view's
   * starting place would be built only to be thrown away when it moves to where work happens.
   */
  shown: boolean;
  /**
   * Every task shown (all of the graph, or all a filter shows), however far out that is: cards,
   * compact cards with their titles, or clusters on a big graph. Clear of the overlays.
   */
  fit(): void;
  /**
   * What a person acts on (the first view): running, failed, needs-you and just-finished tasks with
   * their neighbours, whole and readable: in the graph's picture where they lie close, else by
   * themselves (a lens); with nothing active, what is ready next.
   */
  work(): void;
  /** The same for other tasks (a state chip's): framed where they are, or by themselves. */
  frame(target: WorkTarget): void;
  /**
   * Centre on a task at a readable zoom (search results, links, keyboard moves off screen); one the page does not
   * show (a lens or a filter leaves it out) is brought in first (`reveal`), and shown once laid out.
   */
  showTask(id: string, options?: { keepZoom?: boolean }): void;
  /**
   * A cluster opened by a click, to readable cards in one step: its tasks where they lie if they
   * fit one readable screen there, else by themselves (a lens) if few enough, else the part of it
   * where its work is (or most of its tasks), at a readable zoom.
   */
  openCluster(cluster: { ids: readonly string[]; box: Box; name: string }): void;
  /** The clusters, all of them (a new grouping takes effect at once). */
  fitClusters(): void;
  /**
   * The view zoomed out to the clusters: a lens shown gives way to the whole graph's clusters, as `fitClusters`
   * does (a lens's few cards are no overview, and its clusters would count only its tasks). Not while a fit is on
   * its way (W or a chip pressed at the clusters: its lens is being laid out).
   */
  clustersReached(): void;
  /** Bring a card out from under the inspector, if it is there. */
  reveal(id: string): void;
  /** A dependency drawn by hand: both its cards are brought into view once it is laid out (the edit may move them). */
  follow(link: { source: string; target: string }): void;
  /** The person panned or zoomed: the task last shown on request no longer holds the picture. */
  movedByHand(): void;
}

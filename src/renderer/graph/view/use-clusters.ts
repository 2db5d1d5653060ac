import { useStore } from '@xyflow/react';
import { useDeferredValue, useMemo, useState } from 'react';
import type { Task } from '../../../shared/task';
import type { TaskState } from '../../task-state/task-state';
import type { Box, GraphLayout } from '../layout/layout-types';
import {
  arrangedForScreen,
  clusterNames,
  clustersBox,
  connectedClusters,
  stateClusters,
  tagClusters,
  type Cluster,
  type ClusterGrouping,
  KeptSharedTags,
} from './clusters';
import { KeptStages } from './kept-clusters';
import { useSameMap } from './use-same-map';
import { clustersUpTo } from './viewport-math';

export interface ClusterView {
  clusters: readonly Cluster[];
  /** The box around every cluster (null: none). */
  extent: Box | null;
  names: ReadonlyMap<string, string>;
  /** Whether the clusters have dependencies between them, drawn as counted arrows. */
  staged: boolean;
  /** Whether they tell more than the cards far out: a plan's stages, or several parts (a Fit shows them rather than titleless cards). */
  story: boolean;
  /** The tasks the clusters were worked out from (a moment behind the canvas's). */
  tasks: ReadonlyMap<string, Task>;
  /** The layout they were worked out from (a moment behind the canvas's). */
  layout: GraphLayout;
  /** The zoom below which they are drawn (viewport-math.ts clustersUpTo). */
  upTo: number;
}

/**
 * The clusters drawn when the canvas is zoomed far out, for the grouping chosen. They are worked out
 * from the layout, tasks and states a moment after the picture shows them, in a render of their own
 * (deferred): on a big plan they take tens of milliseconds, which would lengthen the render that shows
 * the layout.
 */
export function useClusters(
  layout: GraphLayout,
  tasks: ReadonlyMap<string, Task>,
  states: ReadonlyMap<string, TaskState>,
  grouping: ClusterGrouping,
): ClusterView {
  // The canvas's size (in steps of 50 px): clusters far longer one way than it are set in rows, grown to fill it.
  const size = useStore((state) => `${Math.round(state.width / 50) * 50}x${Math.round(state.height / 50) * 50}`);
  const canvas = useMemo(() => {
    const [width = 0, height = 0] = size.split('x').map(Number);
    return { width, height };
  }, [size]);
  const clusterLayout = useDeferredValue(layout);
  const clusterTasks = useDeferredValue(tasks);
  const clusterStates = useDeferredValue(states);
  // Connected parts follow the layout alone (a status change does not work them out again); by
  // tag, the clusters follow the tasks too; by state, the states: a cluster per state, its tasks
  // moving as they change state.
  // A big plan's stages kept from one layout to the next: an edit works out again only the columns it changed.
  const [keptStages] = useState(() => new KeptStages());
  const connected = useMemo(
    () => (grouping === 'connected' ? connectedClusters(clusterLayout, keptStages) : null),
    [grouping, clusterLayout, keptStages],
  );
  const byTag = useMemo(
    () => (grouping === 'tag' ? tagClusters(clusterLayout.groups, clusterLayout.positions, clusterTasks) : null),
    [grouping, clusterLayout, clusterTasks],
  );
  const byState = useMemo(
    () => (grouping === 'state' ? stateClusters(clusterLayout.groups, clusterLayout.positions, clusterStates) : null),
    [grouping, clusterLayout, clusterStates],
  );
  const clusters: readonly Cluster[] = useMemo(
    // A part's stages and the connected parts are where their cards are (one picture: zooming in reaches them);
    // tags and states cut across the layout, so their boxes are set where the canvas reads them.
    () => connected ?? arrangedForScreen(byTag ?? byState ?? [], canvas),
    [connected, byTag, byState, canvas],
  );
  const extent = useMemo(() => clustersBox(clusters), [clusters]);
  // Connected parts have no dependencies between them; a big part's stages, tags and states do: one
  // arrow per pair, counted, worked out when first drawn.
  const staged = useMemo(() => grouping !== 'connected' || clusters.some((cluster) => cluster.stage), [grouping, clusters]);
  // Named by their tasks' tags and titles: the same Map while no name changed, so a status change alone does not redraw.
  // The tag each cluster shares, kept while its list of tasks and their tags are the same.
  const [sharedTags] = useState(() => new KeptSharedTags());
  const names = useSameMap(useMemo(() => clusterNames(clusters, clusterTasks, sharedTags), [clusters, clusterTasks, sharedTags]));
  const story = clusters.length >= 3;
  const upTo = useMemo(() => clustersUpTo(extent, canvas, story && grouping === 'connected'), [extent, canvas, story, grouping]);
  return { clusters, extent, names, staged, story, tasks: clusterTasks, layout: clusterLayout, upTo };
}

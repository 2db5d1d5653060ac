import { useEffect, useRef, useState } from 'react';
import type { Task } from '../../../shared/task';
import { inBackground, restInSlices, TimeSlices } from '../../scheduling/time-slices';
import { clusterLinkSteps, type Cluster, type ClusterLink } from './clusters';

/**
 * The links between clusters the overview draws (clusterLinks), counted in background time slices once the clusters
 * are known: a 50,000-task plan's 100,000 dependencies were counted at the first frame that drew its clusters, a frame
 * of over 100 ms as a search flew over the plan. They are counted again when the clusters or the dependencies change
 * (grouped by state, a status change makes new clusters); meanwhile the links counted last stay drawn, and a count
 * overtaken by a newer one stops at its next slice. Before the first count the clusters are drawn without links; the
 * render after puts them in. Undefined while there are none to draw (`clusters` null: not a staged overview).
 */
export function useCountedLinks(
  clusters: readonly Cluster[] | null,
  tasks: ReadonlyMap<string, Task>,
  /** The version of the dependencies the links are counted from (a structure change makes a new one). */
  dependents: unknown,
): (() => readonly ClusterLink[]) | undefined {
  const latestTasks = useRef(tasks);
  latestTasks.current = tasks;
  const [counted, setCounted] = useState<(() => readonly ClusterLink[]) | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: dependents is the version of the dependencies the links are counted from; the tasks' other fields do not count
  useEffect(() => {
    if (!clusters) return;
    let live = true;
    void inBackground(async () => {
      const slices = new TimeSlices();
      const links = await restInSlices(
        clusterLinkSteps(clusters, latestTasks.current, () => slices.due()),
        slices,
        () => live,
      );
      if (links) setCounted(() => () => links);
    });
    return () => {
      live = false;
    };
  }, [clusters, dependents]);
  return clusters && counted ? counted : undefined;
}

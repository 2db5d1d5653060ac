import { useEffect, useRef, useState } from 'react';
import type { Task } from '../../../shared/task';
import { inBackground, inSlices } from '../../scheduling/time-slices';
import { clusterLinkSteps, type Cluster, type ClusterLink } from './clusters';

/**
 * The links between clusters the overview draws (clusterLinks), counted in background time slices once the clusters
 * are known: a 50,000-task plan's 100,000 dependencies were counted at the first frame that drew its clusters, a frame
 * of over 100 ms as a search flew over the plan. Until they are counted the clusters are drawn without links; the
 * render after puts them in. They follow the clusters and the dependencies alone (the clusters' tasks as they are
 * then): a status change, a selection or a hover does not count them again. Undefined while there are none to draw
 * (`clusters` null: not a staged overview).
 */
export function useCountedLinks(
  clusters: readonly Cluster[] | null,
  tasks: ReadonlyMap<string, Task>,
  /** The version of the dependencies the links are counted from (a structure change makes a new one). */
  dependents: unknown,
): (() => readonly ClusterLink[]) | undefined {
  const latestTasks = useRef(tasks);
  latestTasks.current = tasks;
  const [counted, setCounted] = useState<{ of: readonly Cluster[]; links: () => readonly ClusterLink[] } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: dependents is the version of the dependencies the links are counted from; the tasks' other fields do not count
  useEffect(() => {
    if (!clusters) return;
    let live = true;
    void inBackground(async () => {
      if (!live) return;
      const links = await inSlices<ClusterLink[]>((due) => clusterLinkSteps(clusters, latestTasks.current, due));
      if (live) setCounted({ of: clusters, links: () => links });
    });
    return () => {
      live = false;
    };
  }, [clusters, dependents]);
  return clusters && counted?.of === clusters ? counted.links : undefined;
}

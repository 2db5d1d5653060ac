import { toDot, toMermaid } from '../graph/viz';
import { vizCriticalPath } from '../graph/analysis/viz-critical-path';
import { asciiTree } from '../graph/analysis/ascii-tree';
import { tasksToDraw } from '../graph/analysis/viz-filter';
import type { Handlers } from './context';

export const graphHandlers: Handlers<'graph:snapshot' | 'graph:export' | 'graph:import' | 'graph:viz'> = {
  'graph:snapshot': ({ since }, { store }) => store.snapshot(since),
  'graph:export': ({ upstream }, { store }) => store.exportJsonl({ upstream }),
  'graph:import': ({ jsonl }, { store }) => store.importJsonl(jsonl),
  'graph:viz': ({ dot, mermaid, criticalPath, ...filter }, { store }) => {
    const tasks = tasksToDraw(store.list(), filter);
    // Upstream marks the critical path in --dot and --mermaid only; its ASCII tree does not either.
    const critical = criticalPath && (dot || mermaid) ? vizCriticalPath(tasks) : new Set<string>();
    if (mermaid) return toMermaid(tasks, critical);
    return dot ? toDot(tasks, critical) : asciiTree(tasks);
  },
};

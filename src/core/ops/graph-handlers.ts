import { toDot, toMermaid } from '../graph/viz';
import { asciiTree } from '../graph/analysis/ascii-tree';
import { tasksToDraw } from '../graph/analysis/viz-filter';
import type { Handlers } from './context';

export const graphHandlers: Handlers<'graph:snapshot' | 'graph:export' | 'graph:import' | 'graph:viz'> = {
  'graph:snapshot': ({ since }, { store }) => store.snapshot(since),
  'graph:export': ({ upstream }, { store }) => store.exportJsonl({ upstream }),
  'graph:import': ({ jsonl }, { store }) => store.importJsonl(jsonl),
  'graph:viz': ({ dot, mermaid, ...filter }, { store }) => {
    const tasks = tasksToDraw(store.list(), filter);
    if (mermaid) return toMermaid(tasks);
    return dot ? toDot(tasks) : asciiTree(tasks);
  },
};

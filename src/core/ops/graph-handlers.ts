import { toDot, toMermaid } from '../graph/viz';
import { vizCriticalPath } from '../graph/analysis/viz-critical-path';
import { asciiTree } from '../graph/analysis/ascii-tree';
import { messageMarks } from '../messages/message-stats';
import { tasksToDraw } from '../graph/analysis/viz-filter';
import { phaseAnnotations } from '../graph/analysis/viz-phases';
import type { Handlers } from './context';

export const graphHandlers: Handlers<'graph:snapshot' | 'graph:export' | 'graph:import' | 'graph:viz'> = {
  'graph:snapshot': ({ since }, { store }) => store.snapshot(since),
  'graph:export': ({ upstream }, { store }) => store.exportJsonl({ upstream }),
  'graph:import': ({ jsonl }, { store }) => store.importJsonl(jsonl),
  'graph:viz': ({ dot, mermaid, criticalPath, ...filter }, { store }) => {
    const all = store.list();
    const tasks = tasksToDraw(all, filter);
    // Upstream marks the critical path in --dot and --mermaid only; its ASCII tree does not either.
    const critical = criticalPath && (dot || mermaid) ? vizCriticalPath(tasks) : new Set<string>();
    const known = new Set(all.map((t) => t.id));
    const phases = phaseAnnotations(all, store.agents.list({ working: true }));
    if (mermaid) return toMermaid(tasks, { critical, known, phases });
    if (dot) return toDot(tasks, { critical, known, phases });
    return asciiTree(tasks, { now: store.core.clock(), messages: messageMarks(store.core, tasks), phases });
  },
};

import { z } from 'zod';
import { op } from '../define';
import type { Agent } from '../../agent';
import type { Task } from '../../task';

/** Operations: graph. */
export const graphOps = {
  'graph:snapshot': op({
    kind: 'query', scope: 'store', summary: 'All tasks and agents with the store revision',
    input: z.object({ since: z.coerce.number().int().min(0).optional() }),
  }).returns<{ rev: number; tasks: Task[]; agents: Agent[] }>(),
  'graph:export': op({
    kind: 'query', scope: 'store', summary: 'Export the graph as JSONL',
    input: z.object({ upstream: z.boolean().optional().describe("upstream workgraph's graph.jsonl (numeric priorities, its field names)") }),
    cli: { command: 'export', writesFile: true },
  }).returns<string>(),
  'graph:import': op({
    kind: 'mutation', scope: 'store', summary: 'Import JSONL (this app or upstream graph.jsonl)',
    input: z.object({ jsonl: z.string() }),
    cli: { command: 'import', args: ['jsonl'], readsFile: 'jsonl' },
  }).returns<{ imported: number; updated: number; loops: string[] }>(),
  'graph:viz': op({
    kind: 'query', scope: 'store', summary: 'Render the graph as Graphviz dot or Mermaid',
    input: z.object({ dot: z.boolean().optional(), mermaid: z.boolean().optional() }),
    cli: { command: 'viz' },
  }).returns<string>(),
};

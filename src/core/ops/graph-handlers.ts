import { toDot, toMermaid } from '../graph/viz';
import type { Handlers } from './context';

export const graphHandlers: Handlers<'graph:snapshot' | 'graph:export' | 'graph:import' | 'graph:viz'> = {
  'graph:snapshot': ({ since }, { store }) => store.snapshot(since),
  'graph:export': ({ upstream }, { store }) => store.exportJsonl({ upstream }),
  'graph:import': ({ jsonl }, { store }) => store.importJsonl(jsonl),
  'graph:viz': ({ mermaid }, { store }) => (mermaid ? toMermaid(store.list()) : toDot(store.list())),
};

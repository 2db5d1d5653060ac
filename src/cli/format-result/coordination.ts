import { coordinateText, discoverText, matchText, resourcesText, trajectoryOrSuggestionsText } from '../coordination-format';
import type { Formatters } from './formatters';

/** Upstream's coordination reports: what runs in parallel, what was just done, who can do a task, and in what order. */
export const coordinationFormatters: Formatters = {
  'graph:coordinate': (r, _term, input) => coordinateText(r, typeof input.maxParallel === 'number' ? input.maxParallel : undefined),
  'graph:discover': (tasks, _term, input) => discoverText(tasks, String(input.since ?? '24h'), Date.now()),
  'task:match': matchText,
  'task:trajectory': (r, _term, input) => trajectoryOrSuggestionsText(r, input.actor),
  'graph:resources': resourcesText,
};

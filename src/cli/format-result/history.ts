import {
  snapshotDiffText,
  snapshotListText,
  snapshotRestoreText,
  snapshotText,
  spendText,
  statsText as timeStatsText,
  traceImportText,
  traceText,
} from '../history-format';
import type { Formatters } from './formatters';

/** What happened over time: traces, snapshots and what was spent. */

export const historyFormatters: Formatters = {
  'trace:show': (result, _term, input) => traceText(result, input),
  // Upstream prints the export itself, as JSON, with or without --json.
  'trace:export': (result) => JSON.stringify(result, null, 2),
  'trace:import': (result, _term, input) => traceImportText(result, input),
  'snapshot:list': snapshotListText,
  'snapshot:show': snapshotText,
  'snapshot:diff': snapshotDiffText,
  'snapshot:restore': snapshotRestoreText,
  'usage:spend': spendText,
  'usage:stats': timeStatsText,
};

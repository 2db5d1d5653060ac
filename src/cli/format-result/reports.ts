import { agingText, analyzeText, forecastText, metricsText, structureText, velocityText, workloadText } from '../report-format';
import type { Formatters } from './formatters';

/** Upstream's further reports on the graph: velocity, aging, workload, forecast, structure, analyze, metrics. */
export const reportFormatters: Formatters = {
  'graph:velocity': velocityText,
  'graph:aging': agingText,
  'graph:workload': workloadText,
  'graph:forecast': forecastText,
  'graph:structure': structureText,
  'graph:analyze': analyzeText,
  'graph:metrics': metricsText,
};

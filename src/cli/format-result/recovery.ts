import { reapText, sweepText } from '../recovery-format';
import type { Formatters } from './formatters';

/** Upstream's `wg reap` and `wg sweep`: dead runs forgotten, and the tasks runs not at work still held. */
export const recoveryFormatters: Formatters = {
  'agent:reap': reapText,
  'graph:sweep': sweepText,
};

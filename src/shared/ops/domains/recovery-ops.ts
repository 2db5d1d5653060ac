import { z } from 'zod';
import { inputFlag as flag, op } from '../define';
import type { ReapResult, SweepResult } from '../../recovery';

/**
 * Operations: upstream's `wg reap` and `wg sweep`, over the same store operations as `wg dead-agents` (its `--purge`
 * forgets dead runs, its `--cleanup` requeues the tasks of runs not at work).
 */
export const recoveryOps = {
  'agent:reap': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Reap dead agents from the registry (a done or failed run stays: it is its task's record; a dead run still holding its task stays for `wg sweep`)",
    input: () =>
      z.object({
        dryRun: z.boolean().optional().describe('show what would be reaped without removing'),
        olderThan: z
          .string()
          .max(40)
          .optional()
          .describe('only reap agents dead for longer than this duration (e.g., 1h, 30m, 7d, 2w; a bare number is seconds)'),
      }),
    readsOnlyWhen: (input) => flag(input, 'dryRun'),
    cli: { command: 'reap' },
  }).returns<ReapResult>(),
  'graph:sweep': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Detect and recover in-progress tasks whose run has died or ended, and reset them to open so the coordinator can start them again (a claim by a name that is no run here, a person's, is left alone)",
    input: () => z.object({ dryRun: z.boolean().optional().describe("only report orphaned tasks, don't fix them") }),
    readsOnlyWhen: (input) => flag(input, 'dryRun'),
    cli: { command: 'sweep' },
  }).returns<SweepResult>(),
};

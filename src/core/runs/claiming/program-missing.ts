import { WgError } from '../../../shared/errors';
import { programMissing } from '../../executors/find-program';
import type { HostEnv } from '../../executors/host-env';
import type { LaunchSpec } from '../../executors/launch';
import { missingProgramReason, variableNaming } from '../rules/failure-reason';

/**
 * A claim refused because the program its run would start is not on this machine (the agent CLI not installed, a
 * WG_CLAUDE_BIN naming no file). Nothing is claimed: the task stays open and waits for the program, instead of
 * every ready task failing the same way one after the other (coordinator/program-holds.ts).
 */
export class ProgramMissing extends WgError {
  constructor(
    /** The command as the run would have started it. */
    readonly program: string,
    /** The PATH it was looked for on: where it is looked for again. */
    readonly path: string | undefined,
    /** The executor profile the task would have run with. */
    readonly executor: string,
    reason: string,
  ) {
    super('unavailable', reason, `the coordinator's machine cannot start executor '${executor}': its program is not installed there`);
  }
}

/**
 * Throws ProgramMissing when the process a claim would start is surely not there (find-program.ts): looked for on the
 * PATH its run gets (the executor's own PATH, else the coordinator's).
 */
export function assertProgramFound(spec: LaunchSpec, hostEnv: HostEnv, executor: string): void {
  if (spec.kind !== 'process') return;
  const path = spec.env.PATH ?? hostEnv.PATH;
  if (!programMissing(spec.command, path)) return;
  throw new ProgramMissing(spec.command, path, executor, missingProgramReason(spec.command, variableNaming(spec.command, hostEnv)));
}

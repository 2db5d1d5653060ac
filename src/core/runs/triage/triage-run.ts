import type { RunEvent } from '../../../shared/run-event';
import type { Task } from '../../../shared/task';
import type { Config } from '../../config/config-view';
import { buildTriageLaunch, triageVerdictFromEvents, type TriageVerdict } from './index';
import type { InternalRequest } from '../claiming/internal-run';
import type { InternalResult } from '../local-runs';

const TRIAGE_TIMEOUT_S = 120;

/**
 * Asks the triage model what became of a dead agent's task, as an internal run (visible, killable,
 * no agent slot). Any trouble running it (no CLI, a timeout, no answer) reads as "restart":
 * rerunning costs tokens, a wrong "done" loses the work.
 */
export async function runTriage(input: {
  task: Task;
  lastEvents: RunEvent[];
  config: Config;
  cwd: string;
  env: NodeJS.ProcessEnv;
  run: (request: InternalRequest) => Promise<InternalResult>;
}): Promise<{ verdict: TriageVerdict; note: string }> {
  const { spec, model } = buildTriageLaunch({
    task: input.task,
    lastEvents: input.lastEvents,
    settings: input.config.settings,
    registry: input.config.registry,
    cwd: input.cwd,
    hostEnv: input.env,
  });
  if (spec.kind !== 'process') return { verdict: 'restart', note: 'triage has no process to run' };
  const result = await input.run({
    purpose: 'triage',
    taskId: input.task.id,
    spec,
    executor: 'claude',
    model: model.name,
    model_source: model.source,
    timeout_s: TRIAGE_TIMEOUT_S,
  });
  if (result.code !== 0)
    return { verdict: 'restart', note: `triage failed (${result.code === null ? 'it did not finish' : `exit code ${result.code}`})` };
  return { verdict: triageVerdictFromEvents(result.events), note: 'triage' };
}

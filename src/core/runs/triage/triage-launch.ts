import type { ModelRegistry, Settings } from '../../../shared/config-types';
import type { RunEvent } from '../../../shared/run-event';
import type { Task } from '../../../shared/task';
import { buildOneShotClaudeLaunch } from '../../executors/claude';
import type { HostEnv } from '../../executors/host-env';
import type { LaunchSpec, ResolvedModel } from '../../executors/launch';
import { resolveRoleModel } from '../../executors/model-resolution';
import { buildTriagePrompt } from './triage-prompt';

export interface TriageLaunchInput {
  task: Task;
  lastEvents: readonly RunEvent[];
  settings: Pick<Settings, 'coordinator'>;
  registry: Pick<ModelRegistry, 'models' | 'roles'>;
  cwd: string;
  hostEnv: HostEnv;
}

/**
 * A one-shot Claude run with the triage role's model (its route, `wg model set triage M`, else
 * coordinator.triage_model, else the fast tier). It only reads and answers: `--tools ""` gives it no
 * tools (so no permission flag is needed) and `--no-session-persistence` leaves no session behind.
 * Output parses with the claude-stream-json parser; read the answer with triageVerdictFromEvents.
 */
export function buildTriageLaunch(input: TriageLaunchInput): { spec: LaunchSpec; model: ResolvedModel } {
  const model = resolveRoleModel('triage', input.settings, input.registry);
  const spec = buildOneShotClaudeLaunch({
    prompt: buildTriagePrompt(input.task, input.lastEvents),
    modelId: model.id,
    cwd: input.cwd,
    hostEnv: input.hostEnv,
  });
  return { spec, model };
}

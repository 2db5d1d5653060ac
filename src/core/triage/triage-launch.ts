import type { ModelRegistry, Settings } from '../../shared/config-types';
import type { RunEvent } from '../../shared/run-event';
import type { Task } from '../../shared/task';
import { claudeCommand, CLAUDE_STREAM_ARGS } from '../executors/claude';
import type { HostEnv } from '../executors/host-env';
import type { LaunchSpec } from '../executors/launch';
import { buildTriagePrompt } from './triage-prompt';

export interface TriageLaunchInput {
  task: Task;
  lastEvents: readonly RunEvent[];
  settings: Pick<Settings, 'coordinator'>;
  registry: Pick<ModelRegistry, 'models'>;
  cwd: string;
  hostEnv: HostEnv;
}

/**
 * A one-shot Claude run with the triage model (coordinator.triage_model, a registry name or raw
 * id). It only reads and answers: `--tools ""` gives it no tools (so no permission flag is
 * needed) and `--no-session-persistence` leaves no session behind. Output parses with the
 * claude-stream-json parser; read the answer with triageVerdictFromEvents.
 */
export function buildTriageLaunch(input: TriageLaunchInput): LaunchSpec {
  const name = input.settings.coordinator.triage_model;
  const model = input.registry.models.find((m) => m.name === name)?.model_id ?? name;
  return {
    kind: 'process',
    command: claudeCommand(input.hostEnv),
    args: [...CLAUDE_STREAM_ARGS, '--model', model, '--tools', '', '--no-session-persistence'],
    env: {},
    stdin: buildTriagePrompt(input.task, input.lastEvents),
    cwd: input.cwd,
    output: 'claude-stream-json',
  };
}

import { invalid } from '../../shared/errors';
import { modelNamed } from './model-resolution';
import { readModels } from '../config/models';
import type { ConfigPaths } from '../config/project-config';

/** The roles whose runs this app makes with Claude Code, whatever their model (the one-shot runs and triage's). */
const CLAUDE_ROLES = ['assigner', 'evaluator', 'triage'] as const;

/**
 * Refuses a model for the assigner, the evaluator or triage that Claude Code cannot reach: one served by another
 * provider or at an endpoint of its own. Routed there, its id (deepseek/deepseek-chat) went to Anthropic's API, and
 * every evaluation failed ("There's an issue with the selected model"), each task's work waiting on it. A model id the
 * registry lacks is passed as written, as for a task.
 */
export async function requireClaudeReachable(paths: ConfigPaths, role: string, name: string): Promise<void> {
  if (!(CLAUDE_ROLES as readonly string[]).includes(role)) return;
  const model = modelNamed(name, await readModels(paths));
  if (!model) return;
  const elsewhere = model.endpoint ? `its own endpoint (${model.endpoint.url ?? model.endpoint.name})` : model.provider;
  if (!elsewhere || (!model.endpoint && model.provider === 'anthropic')) return;
  throw invalid(
    `the ${role} runs with Claude Code here, which reaches only Anthropic's models; '${name}' is served by ${elsewhere}: give it an anthropic model (wg model list)`,
  );
}

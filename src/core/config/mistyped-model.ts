import { closestName } from '../../shared/closest-name';
import { parseModelSpec } from './model-spec';
import { readModels } from './models';
import type { ConfigPaths } from './project-config';

/**
 * A model name no registry entry has but one or two edits from one ('sonet', 'hiaku'): most likely a typo. It is
 * kept, since a name the registry lacks is passed to the executor as the model id (claude-sonnet-4-5 is one), but
 * said where it is set, as upstream's add refuses a model it cannot resolve: its runs would only fail at the API.
 */
export async function mistypedModelWarning(paths: ConfigPaths, model: string): Promise<string | null> {
  const names = (await readModels(paths)).models.map((m) => m.name);
  const { model: bare } = parseModelSpec(model.trim());
  if (names.includes(bare)) return null;
  const meant = closestName(bare.toLowerCase(), names, 2) ?? names.find((n) => n === bare.toLowerCase());
  if (!meant) return null;
  return `model '${model}' is not in the registry (wg model list): did you mean '${meant}'? It is kept, and goes to the executor as the model id '${bare}'`;
}

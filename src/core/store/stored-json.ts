import { WgError } from '../../shared/errors';

/**
 * A task's JSON column as graph.db holds it. This app writes only JSON there; a value that is not (graph.db edited
 * by hand or by another program) is said in one line naming the task and the field, where JSON.parse's own words
 * ("Unexpected token 'o'…") named neither.
 */
export function storedJson<T>(text: string, task: string, field: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new WgError(
      'unavailable',
      `graph.db holds a damaged value: the ${field} of task '${task}' is not JSON (was graph.db edited by another program?)`,
    );
  }
}

import { WgError } from '../../shared/errors';
import type { TraceFunction } from '../../shared/functions';

/**
 * Upstream's validate_function: template ids unique, and every `after` and `loops_to` names a template
 * of the function. A loop's back edge in `after` is accepted, as upstream's check accepts it.
 */
export function validateFunction(func: TraceFunction): void {
  const ids = func.tasks.map((t) => t.template_id);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new WgError('invalid', `Validation error: Duplicate template_id '${id}'`);
    seen.add(id);
  }
  for (const task of func.tasks) {
    for (const dep of task.after) {
      if (!seen.has(dep)) {
        throw new WgError(
          'invalid',
          `Validation error: Task '${task.template_id}' has after '${dep}' which is not a template_id in this function`,
        );
      }
    }
    for (const edge of task.loops_to) {
      if (!seen.has(edge.target)) {
        throw new WgError(
          'invalid',
          `Validation error: Task '${task.template_id}' has loops_to target '${edge.target}' which is not a template_id in this function`,
        );
      }
    }
  }
}

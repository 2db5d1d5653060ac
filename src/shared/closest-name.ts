import { distance } from 'fastest-levenshtein';

/**
 * The closest of `names` to `target` within `maxDistance` edits (not `target` itself), for a "did you mean": a
 * mistyped task id (upstream's fuzzy_match_task_id), a misspelt setting in config.toml.
 */
export function closestName(target: string, names: Iterable<string>, maxDistance = 3): string | null {
  let best: { name: string; edits: number } | null = null;
  for (const name of names) {
    const edits = distance(target, name);
    if (edits > 0 && edits <= maxDistance && (best === null || edits < best.edits)) best = { name, edits };
  }
  return best?.name ?? null;
}

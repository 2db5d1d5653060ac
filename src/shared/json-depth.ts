/**
 * How deeply JSON may nest in any input (HTTP bodies, IPC, `--artifacts`). Parsing very deep JSON
 * succeeds, but validating or printing it recurses once per level and overflows the stack: a
 * clear refusal up front beats a "Maximum call stack size exceeded" from a library's insides.
 * Nothing this app takes needs more than a few levels.
 */
const MAX_JSON_DEPTH = 64;

export const TOO_DEEP = `is nested too deeply (more than ${MAX_JSON_DEPTH} levels of arrays and objects)`;

/** Whether a parsed value nests arrays or objects more than `max` deep (walked without recursion). */
export function nestedTooDeeply(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

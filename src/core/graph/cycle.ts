/**
 * Would making `task` depend on `dependency` close a cycle? If so, returns the cycle as a path
 * `task -> dependency -> … -> task`; otherwise null. `depsOf` gives a task's dependencies.
 */
export function findCycle(task: string, dependency: string, depsOf: (id: string) => readonly string[]): string[] | null {
  if (task === dependency) return [task, task];
  // Depth-first from the new dependency, looking for a path back to `task`.
  const parent = new Map<string, string>();
  const stack = [dependency];
  const seen = new Set<string>([dependency]);
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const next of depsOf(current)) {
      if (next === task) {
        const path = [task];
        const back: string[] = [current];
        let node = current;
        while (node !== dependency) {
          node = parent.get(node) as string;
          back.push(node);
        }
        // A loop, not a spread: a cycle through a long chain has more nodes than a call has arguments.
        for (let i = back.length - 1; i >= 0; i--) path.push(back[i] as string);
        path.push(task);
        return path;
      }
      if (!seen.has(next)) {
        seen.add(next);
        parent.set(next, current);
        stack.push(next);
      }
    }
  }
  return null;
}

export function describeCycle(path: readonly string[]): string {
  // Upstream's link says a task on itself so (link_self_rejected: "cannot depend on itself").
  if (path.length === 2 && path[0] === path[1]) return `task '${path[0]}' cannot depend on itself`;
  return `dependency would create a cycle: ${path.join(' -> ')}`;
}

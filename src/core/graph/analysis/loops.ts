/**
 * The loops of a directed graph: its strongly connected parts of two or more nodes, or one node with an edge to itself
 * (Tarjan's algorithm, iterative so a long chain cannot overflow the stack). Each loop's members are sorted, and the
 * loops come in the order of their first member. `successors`: each node's edges out, in the order they are to be
 * walked; a node named only as a successor counts too.
 */
export function loopsOf(successors: ReadonlyMap<string, readonly string[]>): string[][] {
  const ids = [...new Set([...successors.keys(), ...[...successors.values()].flat()])].sort();
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const enter = (id: string) => {
    order.set(id, order.size);
    low.set(id, order.get(id) as number);
    stack.push(id);
    onStack.add(id);
  };
  for (const root of ids) {
    if (order.has(root)) continue;
    const frames: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { id: string; next: number };
      const next = successors.get(frame.id) ?? [];
      if (frame.next < next.length) {
        const succ = next[frame.next++] as string;
        if (!order.has(succ)) {
          enter(succ);
          frames.push({ id: succ, next: 0 });
        } else if (onStack.has(succ)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, order.get(succ) as number));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) !== order.get(frame.id)) continue;
      const part: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        part.push(member);
      } while (member !== frame.id);
      if (part.length > 1 || (successors.get(frame.id) ?? []).includes(frame.id)) loops.push(part.sort());
    }
  }
  return loops.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
}

/** The edges, [dependency, task], that a depth-first walk from `header` inside one loop finds closing onto its path. */
export function backEdgesFrom(
  header: string,
  inside: ReadonlySet<string>,
  successors: ReadonlyMap<string, readonly string[]>,
): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  const visited = new Set<string>([header]);
  const onPath = new Set<string>([header]);
  const frames: Array<{ id: string; next: number }> = [{ id: header, next: 0 }];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as { id: string; next: number };
    const next = (successors.get(frame.id) ?? []).filter((id) => inside.has(id));
    if (frame.next >= next.length) {
      frames.pop();
      onPath.delete(frame.id);
      continue;
    }
    const succ = next[frame.next++] as string;
    if (!visited.has(succ)) {
      visited.add(succ);
      onPath.add(succ);
      frames.push({ id: succ, next: 0 });
    } else if (onPath.has(succ)) {
      edges.push([frame.id, succ]);
    }
  }
  return edges;
}

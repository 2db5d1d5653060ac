import { CARD_HEIGHT, CARD_WIDTH } from '../../../src/renderer/graph/card-size';
import type { LayoutInput } from '../../../src/renderer/graph/layout/layout-types';

/**
 * Random plans and edits for the window's property tests (a structure kept from one layout to the next equals one
 * built from nothing after every edit).
 */
const CARD = { width: CARD_WIDTH, height: CARD_HEIGHT };

/** Tasks by id with their dependencies (each on earlier ones: no loop). */
export type Plan = Map<string, string[]>;

export function plan(size: number, pick: () => number, standAlone: number): Plan {
  const tasks: Plan = new Map();
  for (let i = 0; i < size; i++) {
    // A share `standAlone` start a part of their own or stand alone: several groups and the singles grid.
    const roll = pick();
    const after =
      i === 0 || roll < standAlone
        ? []
        : [...new Set(Array.from({ length: 1 + Math.floor(pick() * 2) }, () => `t${Math.floor(pick() * i)}`))];
    tasks.set(`t${i}`, after);
  }
  return tasks;
}

/** One edit: a dependency added or taken away, a task added or removed. */
export function edit(tasks: Plan, pick: () => number, serial: number): Plan {
  const next = new Map(tasks);
  const ids = [...next.keys()];
  const order = new Map(ids.map((id, index) => [id, index]));
  const any = () => ids[Math.floor(pick() * ids.length)] as string;
  const id = any();
  const after = next.get(id) ?? [];
  const roll = pick();
  if (roll < 0.45) {
    // A dependency on an earlier task (in the plan's order): no loop.
    const dependency = any();
    if ((order.get(dependency) ?? 0) < (order.get(id) ?? 0) && !after.includes(dependency)) next.set(id, [...after, dependency]);
  } else if (roll < 0.7) next.set(id, after.slice(1));
  else if (roll < 0.8) next.set(`n${serial}`, [id]);
  else {
    next.delete(id);
    for (const [other, list] of next)
      if (list.includes(id))
        next.set(
          other,
          list.filter((d) => d !== id),
        );
  }
  return next;
}

export function inputOf(tasks: Plan): LayoutInput {
  return {
    nodes: [...tasks.keys()].map((id) => ({ id, ...CARD })),
    edges: [...tasks].flatMap(([id, after]) => after.filter((d) => tasks.has(d)).map((source) => ({ source, target: id }))),
  };
}

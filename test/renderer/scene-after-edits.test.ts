import { describe, expect, it } from 'vitest';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import type { Box, GraphLayout, LayoutInput } from '../../src/renderer/graph/layout/layout-types';
import { buildScene, type Scene } from '../../src/renderer/graph/view/scene';
import { seededRandom } from '../helpers/seeded-random';

const CARD = { width: 260, height: 80 };

/** Tasks by id with their dependencies (each on earlier ones: no loop). */
type Plan = Map<string, string[]>;

function plan(size: number, pick: () => number): Plan {
  const tasks: Plan = new Map();
  for (let i = 0; i < size; i++) {
    // Some tasks start a part of their own, some stand alone: several groups and the singles grid.
    const roll = pick();
    const after =
      i === 0 || roll < 0.15 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(pick() * 2) }, () => `t${Math.floor(pick() * i)}`))];
    tasks.set(`t${i}`, after);
  }
  return tasks;
}

/** One edit: a dependency added or taken away, a task added or removed. */
function edit(tasks: Plan, pick: () => number, serial: number): Plan {
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

function inputOf(tasks: Plan): LayoutInput {
  return {
    nodes: [...tasks.keys()].map((id) => ({ id, ...CARD })),
    edges: [...tasks].flatMap(([id, after]) => after.filter((d) => tasks.has(d)).map((source) => ({ source, target: id }))),
  };
}

/** What a scene answers over the whole picture, rectangle by rectangle: the cards and the routes (with their points) met. */
function answers(scene: Scene, rects: readonly Box[]): string[] {
  return rects.map((rect) => {
    const cards = [...scene.queryNodes(rect)].sort();
    const routes = [...scene.queryEdges(rect)].map((edge) => `${edge.id}@${JSON.stringify(edge.points)}`).sort();
    return `${cards.join(' ')} | ${routes.join(' ')}`;
  });
}

/** Rectangles about a card's size over the picture and around it, and the whole canvas. */
function rectsOver(layout: GraphLayout): Box[] {
  const { x, y, width, height } = layout.bounds;
  // The whole canvas: each group's index answers with all it holds (a card left behind anywhere shows).
  const rects: Box[] = [{ x: -1e7, y: -1e7, width: 2e7, height: 2e7 }];
  for (let left = x - 300; left < x + width + 300; left += 230)
    for (let top = y - 100; top < y + height + 100; top += 110) rects.push({ x: left, y: top, width: 300, height: 90 });
  return rects;
}

describe('a scene made from the scene before an edit', () => {
  it.each([1, 2, 3, 4, 5, 6])('answers as one made from nothing after every edit of a random sequence (seed %i)', async (seed) => {
    const pick = seededRandom(seed);
    const runner = createLayoutRunner(null);
    let tasks = plan(120, pick);
    let layout = (await runner.run(inputOf(tasks))) as GraphLayout;
    let kept = buildScene(layout);
    answers(kept, rectsOver(layout));
    let shared = 0;
    for (let step = 0; step < 40; step++) {
      tasks = edit(tasks, pick, step);
      const next = (await runner.run(inputOf(tasks), { previous: layout })) as GraphLayout;
      const before = kept;
      kept = buildScene(next, before);
      const rects = rectsOver(next);
      expect(answers(kept, rects), `step ${step}`).toEqual(answers(buildScene(next), rects));
      // The scene before still answers for the picture before.
      expect(answers(before, rectsOver(layout))).toEqual(answers(buildScene(layout), rectsOver(layout)));
      for (const id of Object.keys(next.routes)) if (next.routes[id] === layout.routes[id]) shared++;
      layout = next;
    }
    // The pictures kept most routes' objects from one edit to the next (what the scene builds on).
    expect(shared).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import type { Box, GraphLayout, XY } from '../../src/renderer/graph/layout/layout-types';
import { buildScene, type Scene } from '../../src/renderer/graph/view/scene';
import { seededRandom } from '../helpers/seeded-random';
import { edit, inputOf, plan } from './support/random-plan';

/** What a scene answers over the whole picture, rectangle by rectangle: the cards and the routes (with their points) met. */
function answers(scene: Scene, rects: readonly Box[]): string[] {
  // Each route's points written once per call (a route meets many rectangles; nothing changes during a call).
  const written = new Map<readonly XY[], string>();
  const write = (points: readonly XY[]) => {
    let text = written.get(points);
    if (text === undefined) {
      text = JSON.stringify(points);
      written.set(points, text);
    }
    return text;
  };
  return rects.map((rect) => {
    const cards = [...scene.queryNodes(rect)].sort();
    const routes = [...scene.queryEdges(rect)].map((edge) => `${edge.id}@${write(edge.points)}`).sort();
    return `${cards.join(' ')} | ${routes.join(' ')}`;
  });
}

/**
 * The scene of a picture made from nothing. Its groups are copies: buildScene keeps a group's scene by the
 * component layout it was placed from, so a scene of the same picture would otherwise be handed the group
 * scenes the other one made (the one from the scene before, or this one), and the two would be compared with
 * themselves.
 */
function fromNothing(layout: GraphLayout): Scene {
  return buildScene({ ...layout, groups: layout.groups.map((group) => ({ ...group, source: group.source && { ...group.source } })) });
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

describe("a whole picture's scene", () => {
  it('indexes every card and route when asked to (indexAll), so that its first query reads only the routes it meets', async () => {
    const runner = createLayoutRunner(null);
    const laidOut = (await runner.run(inputOf(plan(120, seededRandom(7), 0.15)))) as GraphLayout;
    const answered = answers(fromNothing(laidOut), rectsOver(laidOut));
    // The routes as the scene reads them, counted.
    let reads = 0;
    const routes = new Proxy(laidOut.routes, {
      get(target, id, receiver) {
        reads++;
        return Reflect.get(target, id, receiver);
      },
    });
    const layout = {
      ...laidOut,
      routes,
      groups: laidOut.groups.map((group) => ({ ...group, source: group.source && { ...group.source } })),
    };
    const total = Object.keys(laidOut.routes).length;
    const scanned = buildScene(layout);
    reads = 0;
    // A card's size in the middle of the biggest group.
    const box = laidOut.groups.map((group) => group.box).sort((a, b) => b.width * b.height - a.width * a.height)[0] as Box;
    const rect = { x: box.x + box.width / 2 - 150, y: box.y + box.height / 2 - 45, width: 300, height: 90 };
    scanned.queryEdges(rect);
    // Not indexed yet: the query scans every route.
    expect(reads).toBeGreaterThanOrEqual(total);
    const scene = buildScene(layout);
    scene.indexAll();
    await scene.indexed();
    reads = 0;
    scene.queryEdges(rect);
    expect(reads).toBeLessThan(total / 4);
    expect(answers(scene, rectsOver(laidOut))).toEqual(answered);
  });
});

describe('a scene made from the scene before an edit', () => {
  it.each([1, 2, 3, 4, 5, 6])('answers as one made from nothing after every edit of a random sequence (seed %i)', async (seed) => {
    const pick = seededRandom(seed);
    const runner = createLayoutRunner(null);
    let tasks = plan(120, pick, 0.15);
    let layout = (await runner.run(inputOf(tasks))) as GraphLayout;
    // What a scene made from nothing answers for the picture before (worked out once, at the step that made it). Made
    // before the kept scene: the latest scene made is the one whose indexes are built (a scene passed over gives them up).
    let answered = answers(fromNothing(layout), rectsOver(layout));
    let kept = buildScene(layout);
    expect(answers(kept, rectsOver(layout))).toEqual(answered);
    // Indexed (in time slices): the next scene is made from these indexes, not from nothing.
    await kept.indexed();
    let shared = 0;
    for (let step = 0; step < 40; step++) {
      tasks = edit(tasks, pick, step);
      const next = (await runner.run(inputOf(tasks), { previous: layout })) as GraphLayout;
      const before = kept;
      const rects = rectsOver(next);
      const answeredNext = answers(fromNothing(next), rects);
      kept = buildScene(next, before);
      expect(answers(kept, rects), `step ${step}`).toEqual(answeredNext);
      await kept.indexed();
      // The scene before still answers for the picture before.
      expect(answers(before, rectsOver(layout))).toEqual(answered);
      for (const id of Object.keys(next.routes)) if (next.routes[id] === layout.routes[id]) shared++;
      layout = next;
      answered = answeredNext;
    }
    // The pictures kept most routes' objects from one edit to the next (what the scene builds on).
    expect(shared).toBeGreaterThan(0);
  });
});

describe('a scene made from nothing', () => {
  it('answers the same while its indexes are built (a scan) as once they are', async () => {
    const layout = (await createLayoutRunner(null).run(inputOf(plan(400, seededRandom(9), 0.15)))) as GraphLayout;
    const scene = fromNothing(layout);
    const rects = rectsOver(layout);
    const scanned = answers(scene, rects);
    await scene.indexed();
    expect(answers(scene, rects)).toEqual(scanned);
    expect(scanned.some((answer) => answer !== ' | ')).toBe(true);
  });
});

describe('a scene passed over', () => {
  it('gives up the indexes it was building once a later scene is made, and still answers by scanning', async () => {
    const layout = (await createLayoutRunner(null).run(inputOf(plan(400, seededRandom(11), 0.15)))) as GraphLayout;
    const rects = rectsOver(layout);
    const passed = fromNothing(layout);
    const scanned = answers(passed, rects);
    const latest = fromNothing(layout);
    await passed.indexed();
    // Still answering, the same; the latest scene builds its own.
    expect(answers(passed, rects)).toEqual(scanned);
    expect(answers(latest, rects)).toEqual(scanned);
    await latest.indexed();
    expect(answers(latest, rects)).toEqual(scanned);
  });
});

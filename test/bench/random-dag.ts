import { seededRandom } from '../helpers/seeded-random';

/**
 * The benches' random DAG: each task depends on 0–3 of the 100 before it; about 5% are roots. The same
 * seed gives the same graph, so two coordinators (or two runs) are measured on one DAG.
 */
export function randomDag(size: number, seed = 7): string[][] {
  const random = seededRandom(seed);
  const deps: string[][] = [];
  for (let i = 0; i < size; i++) {
    const window = Math.min(i, 100);
    const count = window === 0 || random() < 0.05 ? 0 : 1 + Math.floor(random() * 3);
    const chosen = new Set<string>();
    for (let k = 0; k < count; k++) chosen.add(`t${i - 1 - Math.floor(random() * window)}`);
    deps.push([...chosen]);
  }
  return deps;
}

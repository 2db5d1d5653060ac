/**
 * A repeatable random number in [0, 1): the same seed gives the same sequence on every run and machine, so a
 * generated graph or a shuffled case list is the same each time (Math.random cannot be seeded).
 * A linear congruential generator: plenty for test inputs, not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

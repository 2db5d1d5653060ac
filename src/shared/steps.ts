/**
 * Work written as steps (a generator that yields where it may pause) so that one piece of code runs both at once and
 * in slices: the window gives its thread back between slices (renderer/scheduling/time-slices.ts), a caller that
 * wants the answer now runs it to the end.
 */

/** A piece of work that pauses (yields) where `due` says its time is up, and returns its answer at the end. */
export type Steps<T> = Generator<void, T, void>;

/** Never due: the work runs to its end without pausing. */
export const neverDue = (): boolean => false;

/** Runs the steps to their end, pausing nowhere, and returns their answer. */
export function toEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

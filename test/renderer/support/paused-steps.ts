import type { Steps } from '../../../src/shared/steps';
import type { Task } from '../../../src/shared/task';
import { makeTask } from './fixtures';

/** `size` tasks, each after the one before it and the one halfway back: a plan a kept index reads from nothing. */
export function halvingPlan(size: number): Map<string, Task> {
  const plan = new Map<string, Task>();
  for (let i = 0; i < size; i++) plan.set(`t${i}`, makeTask({ id: `t${i}`, after: i === 0 ? [] : [`t${Math.floor(i / 2)}`, `t${i - 1}`] }));
  return plan;
}

/**
 * Runs the steps `make` makes with a `due` that is due every 100th call, and `meanwhile` at their tenth pause (an
 * update asked for while they pause): their answer, and how many times they paused.
 */
export function runPaused<T>(make: (due: () => boolean) => Steps<T>, meanwhile: () => void): { value: T; pauses: number } {
  let calls = 0;
  const steps = make(() => ++calls % 100 === 0);
  let pauses = 0;
  let step = steps.next();
  while (!step.done) {
    pauses++;
    if (pauses === 10) meanwhile();
    step = steps.next();
  }
  return { value: step.value, pauses };
}

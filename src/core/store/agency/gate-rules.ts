import type { Settings } from '../../../shared/config-types';

/**
 * The evaluation gate's rules, pure. Unlike upstream (where, by its own investigation, a 0.27
 * still unblocks dependents unless the task is tagged `eval-gate`), the gate holds by default once
 * auto-evaluate is on: nothing a dependent waits for is done until a score says so, and an evaluator
 * that cannot give a score never lets work through.
 */

export interface GateSettings {
  threshold: number;
  maxRescues: number;
}

export const gateSettings = (settings: Pick<Settings, 'agency'>): GateSettings => ({
  threshold: settings.agency.eval_threshold,
  maxRescues: settings.agency.max_eval_rescues,
});

export type Verdict =
  /** At or above the threshold: the task is done and its dependents may start. */
  | { kind: 'pass' }
  /** Below it, with rescues left: the task reopens (same identity) with the notes in its next prompt. */
  | { kind: 'rescue'; attempt: number; line: string }
  /** Below it, rescues used up: the task fails with the reason. */
  | { kind: 'fail'; reason: string; line: string };

const two = (n: number) => n.toFixed(2);

/** What a score means for a pending-eval task that has been reopened `rescues` times already. */
export function verdictFor(score: number, notes: string | null, rescues: number, gate: GateSettings): Verdict {
  if (score >= gate.threshold) return { kind: 'pass' };
  const said = notes?.trim() ? notes.trim() : '(no notes)';
  if (rescues < gate.maxRescues) {
    const attempt = rescues + 1;
    return {
      kind: 'rescue',
      attempt,
      line:
        `Eval rescue ${attempt}/${gate.maxRescues}: score ${two(score)} below threshold ${two(gate.threshold)}. ` +
        `Re-iterating in place (same agent identity). Evaluator notes: ${said}`,
    };
  }
  return {
    kind: 'fail',
    reason: `evaluation rejected: score ${two(score)} below threshold ${two(gate.threshold)} (${said})`,
    line: `Auto-rescue cap reached (${rescues}/${gate.maxRescues}); no further in-place iteration`,
  };
}

/** Evaluator runs that may fail to give a usable score before the task fails closed: the first and one retry. */
const EVALUATOR_ATTEMPTS = 2;

export type EvaluatorTrouble = { kind: 'retry' } | { kind: 'fail'; reason: string };

/**
 * An evaluator run that crashed, timed out or answered no usable JSON. `failedAttempts` counts this
 * one. Retried once; then the task fails closed — it is never passed for want of a score.
 */
export function afterEvaluatorTrouble(failedAttempts: number, why: string): EvaluatorTrouble {
  if (failedAttempts < EVALUATOR_ATTEMPTS) return { kind: 'retry' };
  return { kind: 'fail', reason: `evaluation failed ${failedAttempts} times, so the work was not accepted: ${why}` };
}

/** Which finished work waits for a score. */
export interface GateInput {
  autoEvaluate: boolean;
  tags: readonly string[];
  /** The executor type that did the work. */
  executorType: string | null;
  /** Whether an agent run (not a person) reported it done. */
  byAgent: boolean;
}

/** Shell tasks are judged by their exit status, `skip-eval` opts out, and a person's own `wg done` is final. */
export function needsEvaluation(input: GateInput): boolean {
  if (!input.autoEvaluate || !input.byAgent) return false;
  if (input.tags.includes('skip-eval')) return false;
  return input.executorType !== 'shell' && input.executorType !== 'schedule' && input.executorType !== 'manual';
}

/** Graph surgery (upstream's `wg insert`, `wg rescue`, `wg reset`): shapes shared by the ops and their faces. */

const INSERT_POSITIONS = ['before', 'after', 'parallel'] as const;
export type InsertPosition = (typeof INSERT_POSITIONS)[number];

/** Upstream's `Position` parsing: any case; anything else in its words. */
export function parsePosition(text: string): InsertPosition | null {
  const lower = text.toLowerCase();
  return (INSERT_POSITIONS as readonly string[]).includes(lower) ? (lower as InsertPosition) : null;
}

export const positionRefusal = (text: string) => `invalid position '${text}' — must be one of: before, after, parallel`;

const RESET_DIRECTIONS = ['forward', 'backward', 'both'] as const;
export type ResetDirection = (typeof RESET_DIRECTIONS)[number];

/** Upstream's `Direction` parsing, with its aliases (down/downstream, up/upstream). */
export function parseDirection(text: string): ResetDirection | null {
  switch (text.toLowerCase()) {
    case 'forward':
    case 'down':
    case 'downstream':
      return 'forward';
    case 'backward':
    case 'up':
    case 'upstream':
      return 'backward';
    case 'both':
      return 'both';
    default:
      return null;
  }
}

export const directionRefusal = (text: string) => `invalid direction '${text}' — must be one of: forward, backward, both`;

/** Upstream's `ResetReport` (what was, or would be, reset and stripped), with what the command was given. */
export interface ResetReport {
  seeds: string[];
  direction: ResetDirection;
  closure: string[];
  meta_to_strip: string[];
  was_dry_run: boolean;
  reset_count: number;
  stripped_count: number;
}

/**
 * Upstream's `wg replay` output (its ReplayOutput): the snapshot taken (`(dry run)` for a plan), the tasks reset and
 * those kept. Beside upstream's fields, each listed task's status before and its best evaluation score, which
 * upstream's plan prints and its JSON leaves out. `message` when nothing matched (upstream's JSON then).
 */
export interface ReplayReport {
  run_id: string;
  model?: string;
  reset_tasks: string[];
  preserved_tasks: string[];
  plan_only: boolean;
  statuses: Record<string, string>;
  scores: Record<string, number>;
  message?: string;
}

import type { JsonValue, Task } from '../../shared/task';
import { conflict, invalid } from '../../shared/errors';
import { parseDelaySeconds } from '../../shared/durations';
import type { OpParsed } from '../../shared/ops/registry';
import { HUMAN_REVIEW_TAG } from '../upstream-sync/legacy-daemon-tasks';

/*
 * Upstream's flags of `wg add` and `wg edit` that set fields this app keeps in a task's `extra` under their
 * graph.jsonl names (skills, provider, visibility, timeout, unplaced, independent), or its
 * not_before (--delay, --not-before): each read here once, for both commands.
 */

type Shared = Pick<OpParsed<'task:add'>, 'skills' | 'provider' | 'visibility' | 'delay' | 'notBefore' | 'schedule' | 'cron'>;

/** Upstream's warning for the deprecated --provider (`wg add`, `wg edit`), in one line. */
export const PROVIDER_DEPRECATED = '--provider is deprecated: give the provider in --model instead (--model provider:MODEL)';

/**
 * Upstream's refusal of its removed `--verify` (`wg add`, `wg edit`; test_legacy_verify_flag_is_rejected), in one
 * line: criteria go in the description's ## Validation section. A graph's kept `verify` is still read (the prompt).
 */
export const VERIFY_REFUSED =
  '--verify is deprecated and no longer accepted: put validation criteria in a ## Validation section of the task description (wg add "My task" -d "## Validation\\n- [ ] cargo test passes"); the agency evaluator scores against it';

/** Upstream's warning for its removed validation flags, which it accepts and ignores. */
export const VALIDATION_DEPRECATED =
  '--validation, --validator-agent and --validator-model are deprecated and ignored: put validation criteria in a ## Validation section of the task description';

/**
 * What a task's kept upstream `validation` asks of its `wg done` (upstream's own `wg add` no longer sets it, but its
 * `wg done` still honours a graph that has it). Upstream has deprecated pending-validation as a routine state: its
 * coordinator makes such a task done at its next tick unless it is tagged `human-review`, so only that one waits here
 * (for `wg approve` / `wg reject`), and any other is done at once. `integrated` refuses a done whose log notes no
 * validation. Null: done. Upstream's `validation_commands` are not run: no gate command runs at done here.
 */
export function doneValidation(task: Pick<Task, 'id' | 'extra' | 'log' | 'tags'>): 'external' | 'llm' | null {
  const mode = task.extra.validation;
  if ((mode === 'external' || mode === 'llm') && task.tags.includes(HUMAN_REVIEW_TAG)) return mode;
  if (mode === 'integrated' && !task.log.some((entry) => entry.message.toLowerCase().includes('validat'))) {
    throw conflict(
      `Cannot mark '${task.id}' as done: integrated validation requires a validation log entry (add one with: wg log ${task.id} "Validated: <what you checked>")`,
    );
  }
  return null;
}

/**
 * When the task may start, from --delay or --not-before (the ISO time in UTC), or undefined. Either, not both
 * (upstream's rule); and not beside a schedule, which sets that time itself.
 */
export function startTime(input: Shared, now: Date): string | undefined {
  if (input.delay !== undefined && input.notBefore !== undefined) throw invalid('Cannot specify both --delay and --not-before: give one');
  if (input.delay === undefined && input.notBefore === undefined) return undefined;
  if (input.schedule !== undefined || (input.cron !== undefined && input.cron !== '')) {
    throw invalid('a schedule sets when the task starts: give --delay/--not-before or --schedule/--cron, not both');
  }
  if (input.notBefore !== undefined) return input.notBefore;
  const at = new Date(now.getTime() + (parseDelaySeconds(input.delay as string) as number) * 1000);
  if (Number.isNaN(at.getTime())) throw invalid(`--delay ${input.delay} is too far in the future`);
  return at.toISOString();
}

/**
 * The `extra` changes the shared flags make: a value sets the field, null removes it. Upstream leaves out
 * its default visibility (`internal`).
 */
export function extraChanges(input: Shared): Record<string, JsonValue | null> {
  const changes: Record<string, JsonValue | null> = {};
  if (input.skills !== undefined) changes.skills = input.skills.length > 0 ? [...new Set(input.skills)] : null;
  if (input.provider !== undefined) changes.provider = input.provider;
  if (input.visibility !== undefined) changes.visibility = input.visibility === 'internal' ? null : input.visibility;
  return changes;
}

/** Upstream's boost_priority: one level up (idle → low, low → normal, normal → high, high → critical); above critical stays. */
function boostPriority(priority: number): number {
  if (priority <= 0) return 5;
  if (priority <= 5) return 10;
  if (priority <= 10) return 50;
  if (priority <= 50) return 100;
  return priority;
}

/**
 * The priority `wg add` gives a task, as upstream's add does (calculate_final_priority): a task tagged `urgent` or
 * `triage` (in any case) goes one level above the priority given, or above the default (normal) when none is.
 */
export function addedPriority(priority: number | undefined, tags: readonly string[] | undefined): number | undefined {
  const urgent = tags?.some((tag) => ['urgent', 'triage'].includes(tag.toLowerCase())) ?? false;
  return urgent ? boostPriority(priority ?? 10) : priority;
}

/** What only `wg add` sets besides: its timeout, and upstream's unplaced and independent marks (kept only when set). */
export function addOnlyExtra(input: Pick<OpParsed<'task:add'>, 'timeout' | 'noPlace' | 'independent' | 'subtask' | 'exec'>) {
  const changes: Record<string, JsonValue> = {};
  if (input.timeout !== undefined) changes.timeout = input.timeout;
  // Upstream's add sets exec_mode "shell" with --exec (test_add_with_exec_sets_shell_mode): its coordinator runs a
  // task's command only then, and would hand a task made here without it to an AI agent.
  if (input.exec !== undefined) changes.exec_mode = 'shell';
  // A subtask is unplaced too in upstream's add (it must be ready at once).
  if (input.noPlace || input.subtask) changes.unplaced = true;
  if (input.independent) changes.independent = true;
  return changes;
}

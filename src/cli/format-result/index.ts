import type { OpName, OpOutput } from '../../shared/ops/registry';
import type { Task } from '../../shared/task';
import { pausedMark } from '../task-markers';
import { PLAIN_TERMINAL, type Terminal } from '../terminal';
import { agencyFormatters } from './agency';
import { agentEndingFormatters } from './agent-endings';
import { agentFormatters } from './agents';
import { coordinationFormatters } from './coordination';
import { endpointFormatters } from './endpoints';
import { evaluationFormatters } from './evaluations';
import type { Formatters } from './formatters';
import { graphFormatters } from './graph';
import { historyFormatters } from './history';
import { messageFormatters } from './messages';
import { recoveryFormatters } from './recovery';
import { reportFormatters } from './reports';
import { secretFormatters } from './secrets';
import { serviceFormatters } from './service';
import { skillFormatters } from './skills';
import { settingsFormatters } from './settings';
import { taskChangeFormatters } from './task-changes';
import { taskViewFormatters } from './task-views';
import { worktreeFormatters } from './worktrees';

/**
 * Human-readable output per operation; `--json` bypasses all of this. Each kind of result is printed by a file of this
 * folder; this one picks the operation's.
 */

const formatters: Formatters = {
  ...taskViewFormatters,
  ...taskChangeFormatters,
  ...graphFormatters,
  ...historyFormatters,
  ...settingsFormatters,
  ...serviceFormatters,
  ...agentFormatters,
  ...agentEndingFormatters,
  ...agencyFormatters,
  ...evaluationFormatters,
  ...messageFormatters,
  ...worktreeFormatters,
  ...secretFormatters,
  ...skillFormatters,
  ...endpointFormatters,
  ...coordinationFormatters,
  ...recoveryFormatters,
  ...reportFormatters,
};

function isTask(value: unknown): value is Task {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'task';
}

/** Mutations that return a task print one line naming what happened. */
export function formatResult<N extends OpName>(
  name: N,
  result: OpOutput<N>,
  term: Terminal = PLAIN_TERMINAL,
  input: Readonly<Record<string, unknown>> = {},
): string {
  const format = formatters[name] as ((r: OpOutput<N>, t: Terminal, i: Readonly<Record<string, unknown>>) => string) | undefined;
  if (format) return format(result, term, input);
  if (isTask(result)) {
    const task = result;
    return `${task.id}: ${task.status}${pausedMark(task)} — ${task.title}`;
  }
  return typeof result === 'string' ? result : JSON.stringify(result, null, 2);
}

import type { RecoverEntry, RecoverFilter, RecoverReport } from '../../shared/recover';
import { isSystemTaskId, type TaskSummary } from '../../shared/task';
import { checkReport, endHolder, PERSON } from '../store/run-reports';
import { reopenForRetry } from '../store/reopen-failed';
import type { StoreCore } from '../store/store-core';
import { findTaskRow, listTaskSummaries } from '../store/task-reads';
import { appendLog, patchTask, transition } from '../store/task-writes';

/*
 * Upstream's `wg recover`: after a mass failure, the matching tasks (failed ones unless a
 * filter says otherwise) opened again in one transaction, their attempts kept; the failed system tasks that follow a
 * task up (evaluate, flip, assign, verify) abandoned, so the coordinator makes them again for the retried task. A plan
 * unless `yes`.
 */

export interface RecoverRequest {
  filters: readonly RecoverFilter[];
  yes: boolean;
  setModel: string | null;
  keepAgency: boolean;
  maxAttempts: number;
  reason: string | null;
}

type Plannable = Pick<TaskSummary, 'id' | 'status' | 'tags' | 'retry_count' | 'failure_reason'>;

/** Upstream's agency follow-ups: what `wg recover` abandons so they are made again from the retried task. */
const FOLLOW_UPS = ['.evaluate-', '.flip-', '.assign-', '.verify-'];

function matches(task: Plannable, filter: RecoverFilter): boolean {
  switch (filter.kind) {
    case 'status':
      return task.status === filter.status;
    case 'tag':
      return task.tags.includes(filter.tag);
    case 'id-prefix':
      return task.id.startsWith(filter.prefix);
    case 'error':
      return (task.failure_reason ?? '').includes(filter.text);
    case 'attempts': {
      const a = task.retry_count;
      const n = filter.n;
      return filter.cmp === '<'
        ? a < n
        : filter.cmp === '<='
          ? a <= n
          : filter.cmp === '='
            ? a === n
            : filter.cmp === '>='
              ? a >= n
              : a > n;
    }
  }
}

/** Upstream's build_plan, pure: each matching task retried, abandoned (a follow-up) or skipped (out of attempts). */
function recoverPlan(tasks: readonly Plannable[], request: Omit<RecoverRequest, 'yes' | 'reason'>): Omit<RecoverReport, 'applied'> {
  const plan: Omit<RecoverReport, 'applied'> = {
    matching: 0,
    user_retries: [],
    agency_abandons: [],
    skipped: [],
    max_attempts: request.maxAttempts,
    keep_agency: request.keepAgency,
  };
  for (const task of tasks) {
    if (!request.filters.every((filter) => matches(task, filter))) continue;
    plan.matching++;
    const entry: RecoverEntry = { id: task.id, attempt_after: task.retry_count + 1, model_change: request.setModel };
    if (isSystemTaskId(task.id)) {
      // Other system tasks (.merge-X, the coordinator's) are no part of a recovery: left as they are, as upstream leaves them.
      if (FOLLOW_UPS.some((prefix) => task.id.startsWith(prefix)) && !request.keepAgency) plan.agency_abandons.push(entry);
    } else if (task.retry_count >= request.maxAttempts) plan.skipped.push(entry);
    else plan.user_retries.push(entry);
  }
  for (const list of [plan.user_retries, plan.agency_abandons, plan.skipped]) list.sort((a, b) => a.id.localeCompare(b.id));
  return plan;
}

/** The plan, and with `yes` its changes in one transaction (a run still holding a task ends, as `wg reset` ends it). */
export async function recoverGraph(core: StoreCore, request: RecoverRequest, actor: string): Promise<RecoverReport> {
  const because = request.reason ? ` — reason: ${request.reason}` : '';
  if (!request.yes) return { ...recoverPlan(await listTaskSummaries(core), request), applied: false };
  return core.write(async (rev) => {
    const plan = recoverPlan(await listTaskSummaries(core), request);
    for (const { id } of plan.user_retries) {
      const row = await findTaskRow(core, id);
      if (!row) continue;
      const verdict = await checkReport(core, PERSON, row, 'fail');
      if (verdict.ok) await endHolder(core, verdict.holder, PERSON, 'killed', `task recovered by ${actor} (wg recover)`, rev);
      await reopenForRetry(core, row, rev, { preserveSession: false, countAttempt: false });
      if (request.setModel !== null) await patchTask(core, id, { model: request.setModel }, rev);
      await appendLog(core, id, actor, `Reset by \`wg recover\`${because}`);
    }
    for (const { id } of plan.agency_abandons) {
      const row = await findTaskRow(core, id);
      // A follow-up done or abandoned already has nothing left to clear (upstream keeps it so).
      if (!row || row.status === 'done' || row.status === 'abandoned') continue;
      const verdict = await checkReport(core, PERSON, row, 'fail');
      if (verdict.ok) await endHolder(core, verdict.holder, PERSON, 'killed', `task recovered by ${actor} (wg recover)`, rev);
      await transition(
        core,
        row,
        { status: 'abandoned', failure_reason: 'Auto-abandoned by `wg recover` so it regenerates from parent', assigned: null },
        rev,
      );
      await appendLog(core, id, actor, `Abandoned by \`wg recover\`${because}`);
    }
    return { ...plan, applied: true };
  });
}

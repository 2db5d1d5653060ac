import type { Agent } from '../../shared/agent';
import type { DaySpend, SpendLine, SpendReport } from '../../shared/history';
import type { Task } from '../../shared/task';
import type { Store } from '../store/store';

/*
 * `wg spend`: tokens and cost, in upstream's totals and daily breakdown, and by task, model and
 * agent identity. Each of this app's runs counts on the day it ended (or started, while it runs),
 * under its model and its task's identity. A done or failed task whose recorded usage is more than
 * its runs here add up to (upstream's token_usage, from runs upstream's wg made) counts the rest on
 * the day it completed. Upstream's own spend puts every task under today's date; the days here are
 * the days the money was spent.
 */

interface Usage {
  taskId: string;
  date: string;
  model: string;
  agent: string;
  cost: number;
  tokensIn: number;
  tokensOut: number;
  runs: number;
}

/** Runs an identity did not do (an internal run, a task with none) are grouped under this. */
const NO_IDENTITY = '(none)';
const NO_MODEL = '(not recorded)';

const day = (iso: string) => iso.slice(0, 10);

function usages(runs: readonly Agent[], tasks: ReadonlyMap<string, Task>): Usage[] {
  const found: Usage[] = [];
  const counted = new Map<string, { cost: number; tokensIn: number; tokensOut: number }>();
  for (const run of runs) {
    if (run.cost_usd === 0 && run.tokens_in === 0 && run.tokens_out === 0) continue;
    const task = tasks.get(run.task_id);
    found.push({
      taskId: run.task_id,
      date: day(run.ended_at ?? run.started_at),
      model: run.model ?? NO_MODEL,
      agent: run.purpose === 'task' && task?.agent ? task.agent : NO_IDENTITY,
      cost: run.cost_usd,
      tokensIn: run.tokens_in,
      tokensOut: run.tokens_out,
      runs: 1,
    });
    const sum = counted.get(run.task_id) ?? { cost: 0, tokensIn: 0, tokensOut: 0 };
    counted.set(run.task_id, {
      cost: sum.cost + run.cost_usd,
      tokensIn: sum.tokensIn + run.tokens_in,
      tokensOut: sum.tokensOut + run.tokens_out,
    });
  }
  for (const task of tasks.values()) {
    if (task.status !== 'done' && task.status !== 'failed') continue;
    const here = counted.get(task.id) ?? { cost: 0, tokensIn: 0, tokensOut: 0 };
    const rest = { cost: task.cost_usd - here.cost, tokensIn: task.tokens_in - here.tokensIn, tokensOut: task.tokens_out - here.tokensOut };
    // Float sums of the same costs may differ in their last bits: a rest below a millionth of a cent is none.
    if (rest.cost <= 1e-8 && rest.tokensIn <= 0 && rest.tokensOut <= 0) continue;
    found.push({
      taskId: task.id,
      date: day(task.completed_at ?? task.started_at ?? task.created_at),
      model: task.model ?? NO_MODEL,
      agent: task.agent ?? NO_IDENTITY,
      cost: Math.max(0, rest.cost),
      tokensIn: Math.max(0, rest.tokensIn),
      tokensOut: Math.max(0, rest.tokensOut),
      runs: 0,
    });
  }
  return found;
}

function line(items: readonly Usage[]): SpendLine {
  return {
    total_cost: items.reduce((s, u) => s + u.cost, 0),
    total_input_tokens: items.reduce((s, u) => s + u.tokensIn, 0),
    total_output_tokens: items.reduce((s, u) => s + u.tokensOut, 0),
    task_count: new Set(items.map((u) => u.taskId)).size,
    run_count: items.reduce((s, u) => s + u.runs, 0),
  };
}

function groupBy(items: readonly Usage[], key: (u: Usage) => string): Map<string, Usage[]> {
  const groups = new Map<string, Usage[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const byCost = <T extends SpendLine>(a: T, b: T) => b.total_cost - a.total_cost || b.total_input_tokens - a.total_input_tokens;

/** The report from the tasks and runs (pure); `nameOf` names an agent identity. */
export function spendFrom(taskList: readonly Task[], runs: readonly Agent[], nameOf: (identity: string) => string | null): SpendReport {
  const tasks = new Map(taskList.map((t) => [t.id, t]));
  const all = usages(runs, tasks);
  const days: DaySpend[] = [...groupBy(all, (u) => u.date)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, items]) => ({ date, ...line(items) }));
  return {
    ...line(all),
    daily_breakdown: days,
    by_task: [...groupBy(all, (u) => u.taskId)]
      .map(([taskId, items]) => ({ task_id: taskId, title: tasks.get(taskId)?.title ?? null, ...line(items) }))
      .sort(byCost),
    by_model: [...groupBy(all, (u) => u.model)].map(([model, items]) => ({ model, ...line(items) })).sort(byCost),
    by_agent: [...groupBy(all, (u) => u.agent)].map(([agent, items]) => ({ agent, name: nameOf(agent), ...line(items) })).sort(byCost),
  };
}

export async function spendReport(store: Store): Promise<SpendReport> {
  const [tasks, runs] = await Promise.all([store.list(), store.agents.list()]);
  // Each identity a task names, looked up together (one round trip on PostgreSQL), for the report's names.
  const identities = [...new Set(tasks.flatMap((task) => (task.agent ? [task.agent] : [])))];
  const names = new Map(await Promise.all(identities.map(async (id) => [id, (await store.agency.identity(id))?.name ?? null] as const)));
  return spendFrom(tasks, runs, (id) => names.get(id) ?? null);
}

/** `wg spend --today`: today's line (UTC), upstream's zero line named "today" when nothing was spent. */
export function todaySpend(report: SpendReport, now: Date): DaySpend {
  const today = day(now.toISOString());
  return (
    report.daily_breakdown.find((d) => d.date === today) ?? {
      date: 'today',
      total_cost: 0,
      total_input_tokens: 0,
      total_output_tokens: 0,
      task_count: 0,
      run_count: 0,
    }
  );
}

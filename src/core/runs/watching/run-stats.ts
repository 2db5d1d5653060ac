import { sql } from 'kysely';
import type { RunEvent } from '../../../shared/run-event';
import type { AgentUpdate } from '../../store/agent-records';
import type { Store } from '../../store/store';

/** A model's prices from the registry: USD per million input and output tokens. */
export interface Prices {
  cost_in: number | null;
  cost_out: number | null;
}

/**
 * What a batch of run events says about the run: its session (and the model the CLI says it runs) and, at the end,
 * cost and usage. A CLI that reports tokens but no cost (codex) is priced from the model registry, when it has
 * prices for the run's model; its usage is the run's total so far, so the cost is too.
 */
export function statsFrom(events: readonly RunEvent[], prices: Prices | null = null): AgentUpdate {
  const update: AgentUpdate = {};
  for (const event of events) {
    if (event.type === 'session') {
      update.session_id = event.session_id;
      if (event.model) update.model = event.model;
    }
    if (event.type === 'result') {
      if (event.cost_usd !== null) update.cost_usd = event.cost_usd;
      if (event.tokens_in !== null) update.tokens_in = event.tokens_in;
      if (event.tokens_out !== null) update.tokens_out = event.tokens_out;
      if (event.turns !== null) update.turns = event.turns;
      if (event.cost_usd === null && prices && (prices.cost_in !== null || prices.cost_out !== null)) {
        update.cost_usd = ((event.tokens_in ?? 0) * (prices.cost_in ?? 0) + (event.tokens_out ?? 0) * (prices.cost_out ?? 0)) / 1e6;
      }
    }
  }
  return update;
}

/**
 * Records a run's session and usage on the agent and the task, in one transaction. The task's totals move by
 * what the run's own totals moved (a batch seen twice moves nothing): they are its runs here (retries included)
 * on top of what the task had before, such as the token_usage of upstream's runs an imported graph brings, which
 * a sum over this app's runs alone replaced.
 */
export async function recordStats(store: Store, agentId: string, taskId: string, given: AgentUpdate): Promise<boolean> {
  if (Object.keys(given).length === 0) return false;
  const core = store.core;
  await core.write(async (rev) => {
    const before = await store.agents.find(agentId);
    // The model the CLI says it runs is the run's only where none was chosen (its default, then): `wg spend` counts
    // the run under it, where it said "(not recorded)". A model chosen keeps the name it was chosen by.
    const { model, ...update } = given;
    await store.agents.update(agentId, model !== undefined && before?.model === null ? { ...update, model } : update, rev);
    // Only the task's own runs: an internal run's session (an assigner's, say) is not the task's to resume.
    if (update.session_id) {
      await core.send(
        core.build
          .updateTable('tasks')
          .set({ session_id: update.session_id, rev })
          .where('id', '=', taskId)
          .where((eb) =>
            eb.exists(eb.selectFrom('agents').select(sql.lit(1).as('one')).where('id', '=', agentId).where('purpose', '=', 'task')),
          ),
      );
    }
    const moved = (field: 'cost_usd' | 'tokens_in' | 'tokens_out') =>
      update[field] === undefined ? 0 : (update[field] ?? 0) - (before?.[field] ?? 0);
    const cost = moved('cost_usd');
    const tokensIn = moved('tokens_in');
    const tokensOut = moved('tokens_out');
    if (cost === 0 && tokensIn === 0 && tokensOut === 0) return;
    await core.send(
      core.build
        .updateTable('tasks')
        .set((eb) => ({
          cost_usd: eb('cost_usd', '+', cost),
          tokens_in: eb('tokens_in', '+', tokensIn),
          tokens_out: eb('tokens_out', '+', tokensOut),
          rev,
        }))
        .where('id', '=', taskId),
    );
  });
  return true;
}

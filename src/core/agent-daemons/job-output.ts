import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputEvent } from '../../shared/api-contract';
import type { RunEvent } from '../../shared/run-event';
import { writeFileNoFollow } from '../files/no-follow';
import { recordStats, statsFrom } from '../runs/watching/run-stats';
import type { AgentUpdate } from '../store/agent-records';
import type { Store } from '../store/store';
import { RunLogWriter, runDir } from '../run-folder/run-log';
import { NO_OUTAGES, type StoreOutage } from '../database-outage/database-outage';

/**
 * A remote run's output, kept as a local run's is: its normalized events in `runs/<agent>/`, its
 * session, cost and tokens on the agent and the task, and an output event for the window.
 */
export class JobOutput {
  private readonly writers = new Map<string, RunLogWriter>();

  constructor(
    private readonly store: Store,
    private readonly runsDir: string,
    private readonly onOutput: (event: OutputEvent) => void,
    private readonly outage: StoreOutage = NO_OUTAGES,
  ) {}

  async append(agentId: string, taskId: string, events: readonly RunEvent[]): Promise<void> {
    if (events.length === 0) return;
    let writer = this.writers.get(agentId);
    if (!writer) {
      writer = new RunLogWriter(runDir(this.runsDir, agentId));
      this.writers.set(agentId, writer);
    }
    for (const event of events) writer.append(event);
    const stats = statsFrom(events);
    try {
      await recordStats(this.store, agentId, taskId, stats);
    } catch (error) {
      if (!this.outage.noted(error)) throw error;
      // The events are kept in the run's log already; its figures (absolute, so written once however late) follow.
      this.outage.whenBack(`the figures of ${agentId}`, async () => {
        await recordStats(this.store, agentId, taskId, stats);
      });
    }
    this.onOutput({ agent_id: agentId, total: writer.total });
  }

  /** Usage the daemon reported with the result (a CLI without a result event of its own). */
  async usage(
    agentId: string,
    taskId: string,
    usage: { cost_usd: number | null; tokens_in: number | null; tokens_out: number | null },
  ): Promise<void> {
    const update: AgentUpdate = {};
    if (usage.cost_usd !== null) update.cost_usd = usage.cost_usd;
    if (usage.tokens_in !== null) update.tokens_in = usage.tokens_in;
    if (usage.tokens_out !== null) update.tokens_out = usage.tokens_out;
    await recordStats(this.store, agentId, taskId, update);
  }

  /** Writes a file beside the run's log (the diff a job produced); returns its path. */
  keep(agentId: string, name: string, text: string): string {
    const dir = runDir(this.runsDir, agentId);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    writeFileNoFollow(path, text, 0o600);
    return path;
  }

  close(agentId: string): void {
    this.writers.get(agentId)?.close();
    this.writers.delete(agentId);
  }

  closeAll(): void {
    for (const writer of this.writers.values()) writer.close();
    this.writers.clear();
  }
}

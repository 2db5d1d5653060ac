import { mkdirSync, writeFileSync } from 'node:fs';
import type { Agent, AgentState, RunPurpose } from '../../src/shared/agent';
import { join } from 'node:path';
import { Store } from '../../src/core/store/store';
import { makeAgent } from '../fixtures/objects';
import { newRun } from '../../src/core/store/agent-records';
import { runFiles } from '../../src/core/run-folder/run-files';
import { runDir } from '../../src/core/run-folder/run-log';

export interface PastRun {
  task: string;
  model?: string | null;
  executor?: string;
  state?: AgentState;
  purpose?: RunPurpose;
  startedAt: string;
  endedAt?: string | null;
  cost?: number;
  tokensIn?: number;
  tokensOut?: number;
  /** With `runsDir`: the run's folder gets these as its standard input (the prompt) and output. */
  prompt?: string;
  output?: string;
}

/**
 * A run as the coordinator leaves it once it has ended (its agent row with what it cost, and its
 * prompt and output files), written straight into the store: what `wg trace` and `wg spend` read.
 */
export async function recordRun(store: Store, run: PastRun, runsDir?: string): Promise<Agent> {
  const core = store.core;
  return core.write(async (rev) => {
    const id = await store.agents.nextId();
    const agent = newRun(
      id,
      {
        task_id: run.task,
        executor: run.executor ?? 'claude',
        model: run.model ?? null,
        model_source: null,
        runs_elsewhere: false,
        // As the claim records it (claim.ts): the run's folder, where its stdout file is.
        output_path: runsDir ? runDir(runsDir, id) : null,
        purpose: run.purpose,
      },
      run.startedAt,
      rev,
    );
    await store.agents.insert(agent, null);
    const ended = run.state === 'working' ? null : (run.endedAt ?? run.startedAt);
    await store.agents.update(
      id,
      {
        state: run.state ?? 'done',
        ended_at: ended,
        cost_usd: run.cost ?? 0,
        tokens_in: run.tokensIn ?? 0,
        tokens_out: run.tokensOut ?? 0,
      },
      rev,
    );
    if (runsDir && (run.prompt !== undefined || run.output !== undefined)) {
      const files = runFiles(runDir(runsDir, id));
      mkdirSync(files.dir, { recursive: true });
      if (run.prompt !== undefined) writeFileSync(files.stdin, run.prompt);
      if (run.output !== undefined) writeFileSync(files.stdout, run.output);
    }
    return store.agents.get(id);
  });
}

/**
 * Runs as the coordinator records them (upstream's registry entries), written into the graph.db of the project at
 * `root` (its .workgraph folder), each with its pid where given.
 */
export async function recordRunsIn(root: string, runs: ReadonlyArray<Partial<Agent> & Pick<Agent, 'id' | 'task_id'>>): Promise<void> {
  const store = await Store.open(join(root, '.workgraph', 'graph.db'));
  try {
    await store.core.write(async (rev) => {
      for (const run of runs) {
        await store.agents.insert(makeAgent(run), null);
        if (run.pid) await store.agents.setPids([[run.id, run.pid]], rev);
      }
    });
  } finally {
    await store.close();
  }
}

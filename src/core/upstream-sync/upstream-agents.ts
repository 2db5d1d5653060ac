import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { highestAgentNumber, raiseAgentSeq } from '../store/agent-records';
import type { StoreCore } from '../store/store-core';

/*
 * Upstream's wg names its runs `agent-N` too, counted in its registry (.wg/service/registry.json,
 * `next_agent_id`). This app's runs start above every one it gave out, so no id means two runs: in
 * `assigned`, in `.wg-worktrees/agent-N`, in `wg/agent-N/<task>` branches. (Ids in graph.jsonl's
 * `assigned` are counted as each line is taken in: import-export.ts.)
 */

/** The highest `agent-N` upstream's registry gave out; 0 without a readable registry. */
function upstreamAgentFloor(wgDir: string): number {
  let registry: unknown;
  try {
    registry = JSON.parse(readFileSync(join(wgDir, 'service', 'registry.json'), 'utf8'));
  } catch {
    return 0;
  }
  if (typeof registry !== 'object' || registry === null) return 0;
  const { next_agent_id: next, agents } = registry as { next_agent_id?: unknown; agents?: unknown };
  const given = typeof next === 'number' && Number.isInteger(next) && next > 0 ? next - 1 : 0;
  const named = typeof agents === 'object' && agents !== null ? highestAgentNumber(Object.keys(agents)) : 0;
  return Math.max(given, named);
}

/** Raises this app's agent counter above upstream's registry, when it is not yet (no revision: nothing a window shows). */
export async function keepAboveUpstreamAgents(core: StoreCore, wgDir: string): Promise<void> {
  const floor = upstreamAgentFloor(wgDir);
  const seq = (await core.get(core.build.selectFrom('meta').select('value').where('key', '=', 'agent_seq')))?.value ?? 0;
  if (floor > seq) await core.conn.write(() => raiseAgentSeq(core, floor));
}

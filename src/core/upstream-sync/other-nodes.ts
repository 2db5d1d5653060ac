import type { StoreCore } from '../store/store-core';
import type { FileNode } from './graph-lines';

/**
 * Upstream's other nodes (resources) as the version taken in has them, so that a version refused later,
 * which lacks one upstream added since, is written over with it (rewrite), and `wg export` has it.
 */
export async function keepOtherNodes(core: StoreCore, nodes: readonly FileNode[]): Promise<void> {
  const now = new Map(nodes.filter((n) => !n.task).map((n) => [n.id, n.raw]));
  const kept = new Map(await core.sql<[string, string]>('SELECT id, node FROM other_nodes').raw().all());
  for (const id of kept.keys()) if (!now.has(id)) await core.sql('DELETE FROM other_nodes WHERE id = ?').send(id);
  for (const [id, raw] of now) {
    if (kept.get(id) === raw) continue;
    await core
      .sql('INSERT INTO other_nodes (id, seq, node) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET node = excluded.node')
      .send(id, await core.bump('task_seq'), raw);
  }
}

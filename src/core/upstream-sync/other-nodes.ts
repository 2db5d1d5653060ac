import type { StoreCore } from '../store/store-core';
import type { FileNode } from './graph-lines';

/**
 * Upstream's other nodes (resources) as the version taken in has them, so that a version refused later,
 * which lacks one upstream added since, is written over with it (rewrite), and `wg export` has it.
 */
export async function keepOtherNodes(core: StoreCore, nodes: readonly FileNode[]): Promise<void> {
  const now = new Map(nodes.filter((n) => !n.task).map((n) => [n.id, n.raw]));
  const kept = new Map((await core.all(core.build.selectFrom('other_nodes').select(['id', 'node']))).map((row) => [row.id, row.node]));
  for (const id of kept.keys()) if (!now.has(id)) await core.send(core.build.deleteFrom('other_nodes').where('id', '=', id));
  for (const [id, raw] of now) {
    if (kept.get(id) === raw) continue;
    const seq = await core.bump('task_seq');
    await core.send(
      core.build
        .insertInto('other_nodes')
        .values({ id, seq, node: raw })
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ node: eb.ref('excluded.node') }))),
    );
  }
}

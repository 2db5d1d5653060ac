import { join } from 'node:path';
import type { ProjectPaths } from '../../project';
import type { Store } from '../../store/store';
import { AgencyFolderWriter } from './synced-files';
import { writeEvaluationFiles } from './yaml-export';
import { upstreamGraphIn } from '../../opening/upstream-graph';

/*
 * Beside upstream's graph.jsonl, an evaluation recorded here (this app's evaluator running `.evaluate-X`, a person's
 * `wg evaluate record`) is also written where upstream's `wg` looks for it: `agency/evaluations/` of its folder, as
 * upstream's record_evaluation writes it. Otherwise upstream saw `.evaluate-X` done and no evaluation at all. Only the
 * evaluation's own file: the performance kept in its role and agent files is written by `wg agency export`. A file
 * upstream wrote under the same name is never overwritten (synced-files.ts). The evaluations written are those after
 * the last one written (by their row id, kept in `meta`).
 */

const WRITTEN_UP_TO = 'upstream_evaluations_written';

/** Writes the evaluations recorded since the last write; nothing outside a project beside upstream's graph.jsonl. */
export async function writeEvaluationsBeside(store: Store, paths: ProjectPaths): Promise<void> {
  // A team's graph on PostgreSQL is not kept in step with a folder's graph.jsonl (command-sync.ts), nor its agency.
  if (store.readOnly || store.core.kind !== 'sqlite' || upstreamGraphIn(paths.dir) === null) return;
  const core = store.core;
  const upTo = (await core.get(core.build.selectFrom('meta').select('value').where('key', '=', WRITTEN_UP_TO)))?.value ?? 0;
  const fresh = await store.evaluations.after(upTo);
  if (fresh.length === 0) return;
  const dir = join(paths.dir, 'agency');
  const files = await AgencyFolderWriter.open(core, dir);
  writeEvaluationFiles(files, dir, fresh);
  await files.remember();
  const last = Math.max(...fresh.map((e) => e.id));
  await core.write(async () => {
    await core.send(
      core.build
        .insertInto('meta')
        .values({ key: WRITTEN_UP_TO, value: last })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
    );
  });
}

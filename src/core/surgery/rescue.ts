import { WgError } from '../../shared/errors';
import type { StoreCore } from '../store/store-core';
import { findTaskRow, tagsOf } from '../store/task-reads';
import { appendLog } from '../store/task-writes';
import { insertAt } from './insert';

/*
 * Upstream's `wg rescue`: the evaluator's fix for a failed task, as a first-class task (no dot, tagged
 * `rescue`) at the failed task's place: `insert parallel --replace-edges`, so its successors wait on the
 * rescue instead. The failed task stays for history (what it depended on kept, its successors gone to
 * the rescue); both logs say which supersedes which, and from which evaluation.
 */

export interface RescueRequest {
  target: string;
  description: string;
  title?: string;
  id?: string;
  fromEval?: string;
}

/** The rescue's brief: the evaluator's words under a header saying what it supersedes and where it came from. */
function rescueBrief(target: string, description: string, fromEval: string | undefined, now: string): string {
  return [
    `## Rescue for \`${target}\``,
    '',
    `This task supersedes \`${target}\`, which failed evaluation. Your job is to complete the work correctly.`,
    '',
    `**Source task:** \`${target}\`  `,
    `**Eval task that spawned this rescue:** ${fromEval ?? '(none — invoked directly)'}  `,
    `**Rescue attempt created:** ${now}`,
    '',
    '---',
    '',
    '## What to fix (from the evaluator)',
    '',
    description.trim(),
  ].join('\n');
}

/** Makes the rescue in the write of revision `rev`; returns its id and whether the target was already done. */
export async function rescueTask(
  core: StoreCore,
  request: RescueRequest,
  actor: string,
  rev: number,
): Promise<{ id: string; targetDone: boolean }> {
  const target = await findTaskRow(core, request.target);
  if (!target) throw new WgError('not_found', `rescue target task '${request.target}' not found in graph`);
  const title = request.title ?? `Rescue: ${request.target}`;
  const id = await insertAt(
    core,
    {
      position: 'parallel',
      target: request.target,
      title,
      description: rescueBrief(request.target, request.description, request.fromEval, core.nowIso()),
      id: request.id,
      replaceEdges: true,
    },
    actor,
    rev,
  );
  const evalRef = request.fromEval ?? '(direct)';
  await appendLog(core, request.target, actor, `superseded by rescue task '${id}' (from eval ${evalRef})`);
  await appendLog(core, id, actor, `supersedes '${request.target}'; created from eval ${evalRef}`);
  if (!(await tagsOf(core, id)).includes('rescue'))
    await core.send(
      core.build
        .insertInto('task_tags')
        .values({ task_id: id, tag: 'rescue' })
        .onConflict((oc) => oc.doNothing()),
    );
  return { id, targetDone: target.status === 'done' };
}

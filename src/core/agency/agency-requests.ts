import type { AgentIdentity } from '../../shared/agency';
import type { Settings } from '../../shared/config-types';
import type { Store } from '../store/store';
import { dependentsOf, getTask } from '../store/task-reads';
import { assignmentCandidates } from './agency-views';
import { buildAssignerPrompt } from './assignment/assigner-prompt';
import { buildEvaluatorPrompt } from './evaluation/evaluator-prompt';
import { taskDiff } from './evaluation/task-diff';
import { resolveIdentity } from '../executors/identity-prompt';

/* What the assigner and the evaluator are asked, gathered from the store (and, for the diff, git). */

/** A special agent named in `[agency]` by its hash (or a prefix of it). */
async function special(store: Store, hash: string | null) {
  if (!hash) return null;
  const found = (await store.agency.identities()).find((i) => i.id.startsWith(hash));
  return found ? resolveIdentity(store, found.id) : null;
}

/** The evaluator's prompt for a task: the task and its identity, what it produced and changed, who waits for it. */
export async function evaluatorPromptFor(store: Store, root: string, taskId: string, settings: Pick<Settings, 'agency'>): Promise<string> {
  const task = await getTask(store.core, taskId);
  const downstream = await Promise.all((await dependentsOf(store.core, taskId)).map((id) => getTask(store.core, id)));
  return buildEvaluatorPrompt({
    task,
    worker: await resolveIdentity(store, task.agent),
    evaluator: await special(store, settings.agency.evaluator_agent),
    diff: await taskDiff(root, task, await store.worktrees.newestForTask(taskId)),
    downstream,
  });
}

/** The assigner's prompt for a task, and the identities it may name. */
export async function assignerRequestFor(
  store: Store,
  taskId: string,
  settings: Pick<Settings, 'agency'>,
  executorType: string,
): Promise<{ prompt: string; offered: AgentIdentity[] }> {
  const task = await getTask(store.core, taskId);
  const candidates = await assignmentCandidates(store, settings);
  const tradeoffs = new Map((await store.agency.tradeoffs()).map((t) => [t.id, t.name]));
  const prompt = buildAssignerPrompt(
    { task, candidates, assigner: await special(store, settings.agency.assigner_agent), executorType },
    tradeoffs,
  );
  return { prompt, offered: candidates.map((c) => c.identity) };
}

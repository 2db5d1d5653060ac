import { parseDelaySeconds } from '../../shared/durations';
import { WgError } from '../../shared/errors';
import type { Handlers, OpContext, ServiceControl } from './context';
import type { ServiceStatus } from '../../shared/service-types';
import type { LogEntry } from '../../shared/task';
import { mistypedModelWarning } from '../config/mistyped-model';

// dispatch() guarantees `service` is present for service-scoped ops (but for input an op runs on the store: a dry run).
const control = (service: ServiceControl | undefined): ServiceControl => service as ServiceControl;

/**
 * The coordinator's status as its caller may see it: the window's URL carries the project's token after '#token=',
 * which neither an agent's run nor a person gets (with it they would be the coordinator: every operation, tokens made).
 */
async function statusFor({ service, agent, person }: OpContext): Promise<ServiceStatus> {
  const status = await control(service).status();
  return (agent || person) && status.url ? { ...status, url: status.url.replace(/#token=.*$/, '') } : status;
}

/** What the task's log says of an evaluator run that gave no score, from the entries it added. */
function whyNoScore(added: readonly LogEntry[]): string {
  const said = added.findLast((e) => /gave no score|^Task failed: /.test(e.message))?.message;
  return said ? `${said.charAt(0).toLowerCase()}${said.slice(1)}` : 'the evaluator gave none';
}

export const serviceHandlers: Handlers<
  'service:status' | 'service:pause' | 'service:resume' | 'service:reload' | 'task:spawn' | 'eval:run'
> = {
  'service:status': (_input, ctx) => statusFor(ctx),
  'service:pause': async (_input, ctx) => {
    await control(ctx.service).pause();
    return statusFor(ctx);
  },
  'service:resume': async (_input, ctx) => {
    await control(ctx.service).resume();
    return statusFor(ctx);
  },
  'service:reload': async (overrides, ctx) => {
    await control(ctx.service).reload(overrides);
    const mistyped = overrides.model === undefined ? null : await mistypedModelWarning(ctx.paths, overrides.model);
    if (mistyped) ctx.warn?.(mistyped);
    return statusFor(ctx);
  },
  'task:spawn': ({ id, executor, model, timeout }, { service, person }) => {
    const timeoutS = timeout === undefined ? undefined : (parseDelaySeconds(timeout) ?? undefined);
    return control(service).spawn(id, { executor, model, timeoutS }, person?.name);
  },
  'eval:run': async ({ task, dryRun, evaluatorModel }, { service, store, paths }) => {
    if (dryRun) {
      // The prompt the evaluator would get, built here: no coordinator needed, nothing run or changed.
      const [{ evaluatorPromptFor }, { loadSettings }] = await Promise.all([
        import('../agency/agency-requests'),
        import('../config/settings'),
      ]);
      const prompt = await evaluatorPromptFor(store, paths.root, task, (await loadSettings(paths)).settings);
      const now = await store.get(task);
      return { task_id: task, status: now.status, evaluation: now.evaluation, prompt };
    }
    const evaluate = control(service).evaluate;
    if (!evaluate) throw new WgError('unavailable', 'this coordinator does not run evaluations');
    const before = await store.get(task);
    await evaluate(task, evaluatorModel);
    const after = await store.get(task);
    // No new score: the evaluator failed (a model the API refuses, a timeout, prose). The score there was is not this
    // run's, and was printed as "Evaluated" with exit 0; upstream's evaluate run fails when its call fails.
    if (after.evaluation === null || after.evaluation.timestamp === before.evaluation?.timestamp) {
      throw new WgError('unavailable', `no score recorded for '${task}': ${whyNoScore(after.log.slice(before.log.length))}`);
    }
    return { task_id: task, status: after.status, evaluation: after.evaluation };
  },
};

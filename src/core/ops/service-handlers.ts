import { WgError } from '../../shared/errors';
import type { ServiceControl } from './context';
import type { Handlers } from './context';

// dispatch() guarantees `service` is present for service-scoped ops (but for input an op runs on the store: a dry run).
const control = (service: ServiceControl | undefined): ServiceControl => service as ServiceControl;

export const serviceHandlers: Handlers<
  'service:status' | 'service:pause' | 'service:resume' | 'service:reload' | 'task:spawn' | 'eval:run'
> = {
  'service:status': (_input, { service, agent, person }) => {
    const status = control(service).status();
    // The window's URL carries the project's token after '#token='; neither an agent's run nor a person gets it.
    return (agent || person) && status.url ? { ...status, url: status.url.replace(/#token=.*$/, '') } : status;
  },
  'service:pause': (_input, { service }) => {
    control(service).pause();
    return control(service).status();
  },
  'service:resume': (_input, { service }) => {
    control(service).resume();
    return control(service).status();
  },
  'service:reload': (overrides, { service }) => {
    control(service).reload(overrides);
    return control(service).status();
  },
  'task:spawn': ({ id }, { service, person }) => control(service).spawn(id, person?.name),
  'eval:run': async ({ task, dryRun, evaluatorModel }, { service, store, paths }) => {
    if (dryRun) {
      // The prompt the evaluator would get, built here: no coordinator needed, nothing run or changed.
      const [{ evaluatorPromptFor }, { loadSettings }] = await Promise.all([
        import('../agency/agency-requests'),
        import('../config/settings'),
      ]);
      const prompt = await evaluatorPromptFor(store, paths.root, task, loadSettings(paths).settings);
      const now = store.get(task);
      return { task_id: task, status: now.status, evaluation: now.evaluation, prompt };
    }
    const evaluate = control(service).evaluate;
    if (!evaluate) throw new WgError('unavailable', 'this coordinator does not run evaluations');
    await evaluate(task, evaluatorModel);
    const after = store.get(task);
    return { task_id: task, status: after.status, evaluation: after.evaluation };
  },
};

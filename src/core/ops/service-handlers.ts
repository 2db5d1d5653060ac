import { WgError } from '../../shared/errors';
import type { ServiceControl } from './context';
import type { Handlers } from './context';

// dispatch() guarantees `service` is present for service-scoped ops.
const control = (service: ServiceControl | undefined): ServiceControl => service as ServiceControl;

export const serviceHandlers: Handlers<
  'service:status' | 'service:pause' | 'service:resume' | 'service:reload' | 'task:spawn' | 'eval:run'
> = {
  'service:status': (_input, { service, agent }) => {
    const status = control(service).status();
    // The window's URL carries the project's token after '#token='; an agent's run never gets it.
    return agent && status.url ? { ...status, url: status.url.replace(/#token=.*$/, '') } : status;
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
  'task:spawn': ({ id }, { service }) => control(service).spawn(id),
  'eval:run': async ({ task, dryRun, evaluatorModel }, { service, store }) => {
    const evaluate = control(service).evaluate;
    if (!evaluate) throw new WgError('unavailable', 'this coordinator does not run evaluations');
    const { prompt } = await evaluate(task, dryRun === true, evaluatorModel);
    const after = store.get(task);
    return { task_id: task, status: after.status, evaluation: after.evaluation, ...(prompt !== undefined ? { prompt } : {}) };
  },
};

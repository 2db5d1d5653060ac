import { ops, type OpName, type OpOutput } from '../shared/ops/registry';
import type { ServiceStatus } from '../shared/service-types';
import { localPlace, type LocalProjectHost } from './host-interface';
import { openProjectStore, readOnlyProject } from './opening/open-store';
import { dispatch } from './ops/dispatch';
import type { ProjectPaths } from './project';
import { stoppedStatus } from './service/service-status';

/**
 * A project that cannot be written, opened for reading: every query works (the graph, tasks,
 * settings, exports); nothing runs and every change is refused with one clear line. The window shows
 * it in read-only mode (`read_only` in the service status).
 */
export async function openReadOnlyHost(paths: ProjectPaths): Promise<LocalProjectHost> {
  const { store, notice } = await openProjectStore(paths, { allowReadOnly: true });
  const status = async (): Promise<ServiceStatus> => ({ ...(await stoppedStatus(paths, store)), read_only: true });
  const run = async <N extends OpName>(name: N, input: unknown, actor: string): Promise<OpOutput<N>> => {
    if (name === 'service:status') return (await status()) as OpOutput<N>;
    if (ops[name].kind !== 'query' || ops[name].scope === 'service') throw readOnlyProject(paths);
    return dispatch(name, input, { store, paths, actor });
  };
  return {
    paths,
    ...localPlace(paths),
    readOnly: true,
    notice,
    dispatch: (name, input, actor = 'app') => run(name, input, actor),
    onChange: () => () => undefined,
    onOutput: () => () => undefined,
    status,
    pause: async () => undefined,
    resume: async () => undefined,
    close: async () => store.close(),
  };
}

import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { OP_NAMES, type OpName } from '../../shared/ops/registry';
import { WgError } from '../../shared/errors';
import type { IpcReply } from '../../preload/ipc-contract';
import { isAppUrl } from '../window/content-policy';
import { toApiError, toIpcReply } from './ipc-errors';
import { log } from '../logging';
import type { ProjectHost } from '../projects/project-host';

export interface IpcBridgeOptions {
  /** The open project's host, or null before one is opened. */
  currentHost(): ProjectHost | null;
  /** Origins whose pages may call operations (the app's, and the dev server's in development). */
  appOrigins: readonly string[];
  /** Called after an operation succeeded, so main can react (e.g. settings changed → tray label). */
  afterOp(name: OpName): void;
}

const NO_PROJECT = 'No project is open: use File › Open Folder…';

/**
 * One handler per operation, on a channel named as the operation. Every call goes through
 * host.dispatch, which validates the input with the op's zod schema; the reply is the IpcReply
 * envelope (see src/preload/ipc-contract.ts), so a WgError's message reaches the user unchanged.
 */
export function registerOpHandlers(options: IpcBridgeOptions): void {
  for (const name of OP_NAMES) {
    ipcMain.handle(name, (event, input: unknown) => handleOp(name, event, input, options));
  }
}

async function handleOp(name: OpName, event: IpcMainInvokeEvent, input: unknown, options: IpcBridgeOptions): Promise<IpcReply<unknown>> {
  const frameUrl = event.senderFrame?.url ?? '';
  if (!isAppUrl(frameUrl, options.appOrigins)) {
    log.warn(`refused ${name} from ${frameUrl || 'an unknown frame'}`);
    return { ok: false, error: { error: 'Refused: not sent by the app', code: 'unauthorized' } };
  }
  const reply = await toIpcReply(async () => {
    const host = options.currentHost();
    if (host === null) throw new WgError('unavailable', NO_PROJECT);
    try {
      return await host.dispatch(name, input, 'app');
    } catch (error) {
      if (toApiError(error).code === 'internal') log.error(`${name} failed:`, error);
      throw error;
    }
  });
  if (reply.ok) options.afterOp(name);
  return reply;
}

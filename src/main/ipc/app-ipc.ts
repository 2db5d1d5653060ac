import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { appOps, type AppOpName } from '../../shared/app-ops';
import { invalid } from '../../shared/errors';
import type { ProjectsOverview } from '../../shared/projects';
import type { IpcReply } from '../../preload/ipc-contract';
import { APP_CHANNELS } from '../../preload/app-channels';
import { isAppUrl } from '../window/content-policy';
import { toIpcReply } from './ipc-errors';
import { log } from '../logging';

/** What the app operations act on (the AppController). */
export interface AppOpsTarget {
  overview(): Promise<ProjectsOverview>;
  promptOpenFolder(): Promise<void>;
  switchProject(folder: string): Promise<void>;
  closeProject(folder: string): Promise<void>;
  setPaused(folder: string | undefined, paused: boolean): Promise<void>;
  /** Connects to a coordinator elsewhere; rejects with a WgError saying why not, having changed nothing. */
  connect(url: string, token: string): Promise<void>;
}

/**
 * One IPC handler per app operation (src/shared/app-ops.ts), with the same origin check and reply
 * envelope as the project operations. Input is validated with the operation's schema; every one
 * answers with the open projects as they now are.
 */
export function registerAppHandlers(target: AppOpsTarget, appOrigins: readonly string[]): void {
  for (const name of APP_CHANNELS) {
    ipcMain.handle(name, (event, input: unknown) => handleAppOp(name, event, input, target, appOrigins));
  }
}

async function handleAppOp(
  name: AppOpName,
  event: IpcMainInvokeEvent,
  input: unknown,
  target: AppOpsTarget,
  origins: readonly string[],
): Promise<IpcReply<ProjectsOverview>> {
  const frameUrl = event.senderFrame?.url ?? '';
  if (!isAppUrl(frameUrl, origins)) {
    log.warn(`refused ${name} from ${frameUrl || 'an unknown frame'}`);
    return { ok: false, error: { error: 'Refused: not sent by the app', code: 'unauthorized' } };
  }
  return toIpcReply(async () => {
    await runAppOp(name, input, target);
    return target.overview();
  });
}

/** Validates and performs one app operation (exported for tests: no Electron involved). */
export async function runAppOp(name: AppOpName, input: unknown, target: AppOpsTarget): Promise<void> {
  const parsed = appOps[name].input.safeParse(input ?? {});
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? 'invalid input');
  const value = parsed.data as { folder?: string; paused?: boolean; url?: string; token?: string };
  switch (name) {
    case 'app:projects':
      return;
    case 'app:openFolder':
      return target.promptOpenFolder();
    case 'app:switchProject':
      return target.switchProject(value.folder as string);
    case 'app:closeProject':
      return target.closeProject(value.folder as string);
    case 'app:pauseProject':
      return target.setPaused(value.folder, value.paused as boolean);
    case 'app:connect':
      return target.connect(value.url as string, value.token ?? '');
  }
}

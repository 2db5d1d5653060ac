import { dialog, type BrowserWindow } from 'electron';
import { log } from '../logging';
import type { ProjectSession } from './project-session';

/**
 * A folder upstream workgraph already uses opens as it is: its graph.jsonl was imported when the
 * project was first opened (by the app or any `wg` command). Whoever opened it first says so, once;
 * here, in the log and a message, with where the graph is kept now.
 */
export async function announceUpstreamImport(session: ProjectSession, window: BrowserWindow | null): Promise<void> {
  const notice = session.host.notice;
  if (notice === null) return;
  log.info(notice);
  const options: Electron.MessageBoxOptions = {
    type: 'info',
    title: 'Workgraph graph imported',
    message: 'This folder’s workgraph graph was imported.',
    detail: notice,
    buttons: ['OK'],
  };
  await (window && !window.isDestroyed() ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
}

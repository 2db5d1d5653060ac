import { dialog, type BrowserWindow } from 'electron';
import { readFile } from 'node:fs/promises';
import { importSummary, shouldOfferImport } from './import-offer';
import { toApiError } from './ipc-errors';
import { log } from './logging';
import { findUpstreamGraph } from './project-host';
import type { ProjectSession } from './project-session';
import type { RecentProjectsStore } from './recent-projects-store';

/**
 * Offers to import upstream workgraph's `.workgraph/graph.jsonl` into a project whose graph is
 * still empty, through `graph:import`. "Don't ask again" is remembered with the recent project.
 */
export async function offerUpstreamImport(session: ProjectSession, recent: RecentProjectsStore, window: BrowserWindow | null): Promise<void> {
  const ask = (options: Electron.MessageBoxOptions) =>
    window && !window.isDestroyed() ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
  try {
    const upstreamGraph = findUpstreamGraph(session.folder);
    if (upstreamGraph === null) return;
    const { tasks } = await session.host.dispatch('graph:snapshot', {}, 'app');
    const declined = recent.find(session.folder)?.importDeclined === true;
    if (!shouldOfferImport({ upstreamGraph, taskCount: tasks.length, declined })) return;
    const choice = await ask({
      type: 'question',
      title: 'Import workgraph graph',
      message: 'This folder has a workgraph graph. Import its tasks?',
      detail: upstreamGraph,
      buttons: ['Import', 'Not Now'],
      defaultId: 0,
      cancelId: 1,
      checkboxLabel: 'Don’t ask again for this folder',
    });
    if (choice.response !== 0) {
      if (choice.checkboxChecked) recent.declineImport(session.folder);
      return;
    }
    const result = await session.host.dispatch('graph:import', { jsonl: await readFile(upstreamGraph, 'utf8') }, 'app');
    log.info(`imported ${upstreamGraph}: ${importSummary(result)}`);
    await ask({ type: 'info', title: 'Import finished', message: importSummary(result), buttons: ['OK'] });
  } catch (error) {
    log.error('import failed:', error);
    dialog.showErrorBox('Import failed', toApiError(error).error);
  }
}

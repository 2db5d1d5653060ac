import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import { WATCH_CHANNELS } from '../../preload/ipc-contract';
import type { ProjectHost } from '../projects/project-host';
import { isAppUrl } from '../window/content-policy';
import { log } from '../logging';

interface Held {
  count: number;
  release: () => void;
}

/**
 * The runs a page watches the output of (its run output view): the open project's host follows each one while
 * a page watches it (on a team's graph, a run of another coordinator), and lets go when the page stops, goes
 * to another page or closes.
 */
export function registerOutputWatches(currentHost: () => ProjectHost | null, appOrigins: readonly string[]): void {
  const pages = new Map<WebContents, Map<string, Held>>();
  const seen = new WeakSet<WebContents>();
  const fromApp = (event: IpcMainEvent, agent: unknown): agent is string =>
    typeof agent === 'string' && agent.length <= 100 && isAppUrl(event.senderFrame?.url ?? '', appOrigins);
  const releaseAll = (page: WebContents) => {
    for (const held of pages.get(page)?.values() ?? []) held.release();
    pages.delete(page);
  };

  ipcMain.on(WATCH_CHANNELS.watch, (event, agent: unknown) => {
    if (!fromApp(event, agent)) return;
    const page = event.sender;
    if (!seen.has(page)) {
      seen.add(page);
      page.once('destroyed', () => releaseAll(page));
      // A reload or another page: what the old page watched is let go (a change of the URL's hash is no new page).
      page.on('did-navigate', () => releaseAll(page));
    }
    let held = pages.get(page);
    if (!held) {
      held = new Map();
      pages.set(page, held);
    }
    const existing = held.get(agent);
    if (existing) {
      existing.count++;
      return;
    }
    // Held at once (a second watch counts on it); let go when its follow has started, if released before.
    let release: (() => void) | null = null;
    let released = false;
    const entry: Held = {
      count: 1,
      release: () => {
        released = true;
        release?.();
      },
    };
    const pageHeld = held;
    pageHeld.set(agent, entry);
    // A host whose follow is not asynchronous (a test's) is taken as well.
    void Promise.resolve()
      .then(() => currentHost()?.watchOutput?.(agent) ?? (() => undefined))
      .then((started) => {
        if (released) started();
        else release = started;
      })
      .catch((error: unknown) => {
        // A run the store does not know: nothing to follow.
        if (pageHeld.get(agent) === entry) pageHeld.delete(agent);
        log.warn(`not following ${agent}'s output: ${(error as Error).message}`);
      });
  });

  ipcMain.on(WATCH_CHANNELS.unwatch, (event, agent: unknown) => {
    if (!fromApp(event, agent)) return;
    const held = pages.get(event.sender)?.get(agent);
    if (!held || --held.count > 0) return;
    held.release();
    pages.get(event.sender)?.delete(agent);
  });
}

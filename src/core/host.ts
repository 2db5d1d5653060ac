import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { WgError } from '../shared/errors';
import { projectPaths, wgDirFor } from './project';
import { projectWritable } from './opening/open-store';
import { type LocalProjectHost, localPlace } from './host-interface';
import { openReadOnlyHost } from './read-only-host';
import { openCoordinator } from './service/coordinator-service';
import { untrustedFolder } from './files/folder-trust';
import { ignoreWorkgraphFolder } from './files/git-ignore';

export type { LocalProjectHost, ProjectHost } from './host-interface';

export interface OpenHostOptions {
  createIfMissing: boolean;
  /** How agents run this app's `wg` (Electron: its binary with ELECTRON_RUN_AS_NODE=1 and the bundled CLI). */
  wgCommand?: { command: string; args: string[]; env: Record<string, string> };
}

/**
 * Opens a project folder (its `.workgraph/`, created if asked) and coordinates it from this process,
 * serving the API as the daemon does so agents can report over HTTP. Fails with a `conflict`
 * WgError when another coordinator (a `wg service` daemon) already runs for the project.
 */
export async function openProjectHost(projectFolder: string, options: OpenHostOptions): Promise<LocalProjectHost> {
  const base = resolve(projectFolder);
  // A folder upstream workgraph uses (.wg/ or .workgraph/, its graph.jsonl imported on first opening) opens as it is.
  const wgDir = wgDirFor(base);
  if (!existsSync(wgDir) && !options.createIfMissing) {
    throw new WgError('not_found', `no workgraph in ${base} (no .wg/ or .workgraph/ folder)`);
  }
  const paths = projectPaths(wgDir);
  // Another user's folder opens read-only, as one this user cannot write (folder-trust.ts).
  const untrusted = untrustedFolder(paths.root, paths.dir, paths.globalConfig);
  if (untrusted !== null) return openReadOnlyHost({ ...paths, untrusted });
  if (existsSync(wgDir) && !projectWritable(paths)) return openReadOnlyHost(paths);
  const creating = !existsSync(wgDir);
  const coordinator = await openCoordinator({ paths, host: 'app', wgCommand: options.wgCommand });
  // A project the window makes is kept out of git as `wg init` keeps one (git-ignore.ts).
  if (creating) ignoreWorkgraphFolder(wgDir);
  return {
    paths: coordinator.paths,
    ...localPlace(coordinator.paths),
    readOnly: false,
    notice: coordinator.importNotice,
    dispatch: (name, input, actor = 'app') => coordinator.dispatch(name, input, actor),
    onChange: (listener) => coordinator.onChange(listener),
    onOutput: (listener) => coordinator.onOutput(listener),
    watchOutput: (agent) => coordinator.watchOutput(agent),
    status: () => coordinator.control.status(),
    pause: () => coordinator.control.pause(),
    resume: () => coordinator.control.resume(),
    close: ({ stopAgents }) => coordinator.close({ killAgents: stopAgents }),
  };
}

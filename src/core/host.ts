import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { WgError } from '../shared/errors';
import type { OpName, OpOutput } from '../shared/ops/registry';
import type { ServiceStatus } from '../shared/service-types';
import { projectPaths, wgDirFor, type ProjectPaths } from './project';
import { projectWritable } from './opening/open-store';
import { openReadOnlyHost } from './read-only-host';
import { openCoordinator } from './service/coordinator-service';
import { untrustedFolder } from './opening/folder-trust';

/**
 * What the Electron main process holds for one open project: a folder coordinated in this process
 * (the same engine and API as the daemon), or a coordinator on another machine (connecting/).
 */
export interface ProjectHost {
  /** What the title and the tray call it: the folder's name, or the remote coordinator's host:port. */
  name: string;
  /** The folder, or the remote coordinator's address. */
  where: string;
  /** Coordinated elsewhere: closing the window leaves its coordinator (and its agents) running. */
  remote: boolean;
  /** The project cannot be written: shown read-only, nothing runs. */
  readOnly: boolean;
  /** Set when opening imported the folder's upstream graph.jsonl: the line to tell a person, once. */
  notice: string | null;
  dispatch<N extends OpName>(name: N, input: unknown, actor?: string): Promise<OpOutput<N>>;
  onChange(listener: (rev: number) => void): () => void;
  onOutput(listener: (e: { agent_id: string; total: number }) => void): () => void;
  status(): ServiceStatus;
  pause(): void;
  resume(): void;
  close(options: { stopAgents: boolean }): Promise<void>;
}

/** A project folder opened by this process. */
export interface LocalProjectHost extends ProjectHost {
  paths: ProjectPaths;
}

/** Name and place of a local project, from its paths. */
export function localPlace(paths: ProjectPaths): Pick<ProjectHost, 'name' | 'where' | 'remote'> {
  return { name: basename(paths.root) || paths.root, where: paths.root, remote: false };
}

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
  const coordinator = await openCoordinator({ paths, host: 'app', wgCommand: options.wgCommand });
  return {
    paths: coordinator.paths,
    ...localPlace(coordinator.paths),
    readOnly: false,
    notice: coordinator.importNotice,
    dispatch: (name, input, actor = 'app') => coordinator.dispatch(name, input, actor),
    onChange: (listener) => coordinator.onChange(listener),
    onOutput: (listener) => coordinator.onOutput(listener),
    status: () => coordinator.control.status(),
    pause: () => coordinator.control.pause(),
    resume: () => coordinator.control.resume(),
    close: ({ stopAgents }) => coordinator.close({ killAgents: stopAgents }),
  };
}

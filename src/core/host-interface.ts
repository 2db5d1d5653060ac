import { basename } from 'node:path';
import type { OpName, OpOutput } from '../shared/ops/registry';
import type { ServiceStatus } from '../shared/service-types';
import type { OutputEvent } from '../shared/api-contract';
import type { ProjectPaths } from './project';

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
  onOutput(listener: (e: OutputEvent) => void): () => void;
  /** A window watches a run's output (a local team coordinator follows another's run meanwhile); absent: every run's output comes anyway. */
  watchOutput?(agent: string): Promise<() => void>;
  status(): Promise<ServiceStatus>;
  pause(): Promise<void>;
  resume(): Promise<void>;
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

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WgError } from '../shared/errors';
import type { OpName, OpOutput } from '../shared/ops/registry';
import type { ServiceStatus } from '../shared/service-types';
import { projectPaths, WG_DIR_NAME, type ProjectPaths } from './project';
import { openCoordinator } from './service/coordinator-service';

/** What the Electron main process holds for one open project: the same engine and API as the daemon. */
export interface ProjectHost {
  paths: ProjectPaths;
  dispatch<N extends OpName>(name: N, input: unknown, actor?: string): Promise<OpOutput<N>>;
  onChange(listener: (rev: number) => void): () => void;
  onOutput(listener: (e: { agent_id: string; total: number }) => void): () => void;
  status(): ServiceStatus;
  pause(): void;
  resume(): void;
  close(options: { stopAgents: boolean }): Promise<void>;
}

export interface OpenHostOptions {
  createIfMissing: boolean;
  /** How agents run this app's `wg` (Electron: its binary with ELECTRON_RUN_AS_NODE=1 and the bundled CLI). */
  wgLauncher?: { command: string; args: string[]; env: Record<string, string> };
}

/**
 * Opens a project folder (its `.workgraph/`, created if asked) and coordinates it from this process,
 * serving the API as the daemon does so agents can report over HTTP. Fails with a `conflict`
 * WgError when another coordinator (a `wg service` daemon) already runs for the project.
 */
export async function openProjectHost(projectFolder: string, options: OpenHostOptions): Promise<ProjectHost> {
  const base = resolve(projectFolder);
  const wgDir = base.endsWith(WG_DIR_NAME) ? base : join(base, WG_DIR_NAME);
  if (!existsSync(wgDir) && !options.createIfMissing) {
    throw new WgError('not_found', `no workgraph in ${base} (no ${WG_DIR_NAME}/ folder)`);
  }
  const coordinator = await openCoordinator({ paths: projectPaths(wgDir), host: 'app', launcher: options.wgLauncher });
  return {
    paths: coordinator.paths,
    dispatch: (name, input, actor = 'app') => coordinator.dispatch(name, input, actor),
    onChange: (listener) => coordinator.onChange(listener),
    onOutput: (listener) => coordinator.onOutput(listener),
    status: () => coordinator.control.status(),
    pause: () => coordinator.control.pause(),
    resume: () => coordinator.control.resume(),
    close: ({ stopAgents }) => coordinator.close({ killAgents: stopAgents }),
  };
}

/** The graph of an upstream workgraph project in this folder (`.workgraph/graph.jsonl`), to offer importing it. */
export function findUpstreamGraph(projectFolder: string): string | null {
  const base = resolve(projectFolder);
  const wgDir = base.endsWith(WG_DIR_NAME) ? base : join(base, WG_DIR_NAME);
  const graph = join(wgDir, 'graph.jsonl');
  return existsSync(graph) ? graph : null;
}

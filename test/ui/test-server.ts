import type { Agent } from '../../src/shared/agent';
import type { Task } from '../../src/shared/task';
import { Workgraph } from '../renderer/support/workgraph';

export interface TestServer {
  /** Where the window is served (scheme, host and port). */
  origin: string;
  /** The project's API token, as `#token=…` hands it to the window. */
  token: string;
  /** The address to open: the window with its token. */
  url: string;
  /** The project behind the window: its store, its operations, and ways to change it as other tools do. */
  project: Workgraph;
  close(): Promise<void>;
}

/** What a file puts in its project before the window opens on it: tasks and runs, or anything through its operations. */
export type Setup = { tasks: readonly Task[]; agents?: readonly Agent[] } | ((project: Workgraph) => void | Promise<void>);

/**
 * The window served in browser mode by a real project's coordinator, in this process: a temporary project
 * opened as the app and `wg service start` open one (`openCoordinator`, its API serving `out/renderer`,
 * the engine paused so that no agent starts), its plan imported in one transaction as a graph.jsonl is
 * (`wg import`'s path), every operation the page calls run by the real `dispatch` over the real store.
 */
export async function startTestServer(setup: Setup = { tasks: [] }, rendererDir?: string): Promise<TestServer> {
  const project = await withRendererDir(rendererDir, () => Workgraph.create());
  try {
    if (typeof setup === 'function') await setup(project);
    else await project.seed(setup.tasks, setup.agents);
  } catch (error) {
    await project.close();
    throw error;
  }
  const url = new URL(project.url);
  return {
    origin: url.origin,
    token: new URLSearchParams(url.hash.slice(1)).get('token') ?? '',
    url: project.url,
    project,
    close: () => project.close(),
  };
}

/** A build of the window other than this checkout's `out/renderer` (a bench's A/B), as WG_RENDERER_DIR gives the daemon one. */
async function withRendererDir<T>(dir: string | undefined, open: () => Promise<T>): Promise<T> {
  if (dir === undefined) return open();
  const before = process.env.WG_RENDERER_DIR;
  process.env.WG_RENDERER_DIR = dir;
  try {
    return await open();
  } finally {
    if (before === undefined) delete process.env.WG_RENDERER_DIR;
    else process.env.WG_RENDERER_DIR = before;
  }
}

import { ensureProjectDirs, type ProjectPaths } from '../project';
import { openProjectStore } from './open-store';

/**
 * What `wg init` makes in a folder: the workgraph folders and a database (an upstream graph.jsonl beside
 * it is read in). Returns the notice for the person, if opening had one to give.
 */
export function initProject(paths: ProjectPaths): string | null {
  ensureProjectDirs(paths);
  const { store, notice } = openProjectStore(paths);
  store.close();
  return notice ?? null;
}

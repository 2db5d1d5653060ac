import { readArchive } from '../cleanup/archive-file';
import { sameJson, type Line } from './task-merge';

/*
 * A task archived (by this app's `wg archive` or upstream's) is in archive.jsonl and not in graph.jsonl. A version of
 * graph.jsonl that has it again while archive.jsonl still holds it is an older one written back (git checkout, a
 * stale copy saved over a newer one): taken in, the task would be live and archived at once. Its line moves the task
 * backwards, so the version is refused (graph-sync.ts). Upstream's own `wg archive restore` writes graph.jsonl, then
 * takes the line out of archive.jsonl: the sync reads a version that removes or moves a task back twice, a moment
 * apart, so by the second read the restore has finished and the task is taken in.
 */

/** The tasks archive.jsonl holds, by id, with their creation times; read once, when a line of a removed task is met. */
export class ArchivedTasks {
  private held: Map<string, Line> | null = null;

  constructor(private readonly wgDir: string) {}

  private lines(): Map<string, Line> {
    if (this.held === null) {
      try {
        this.held = new Map(readArchive(this.wgDir).map((entry) => [entry.line.id as string, entry.line]));
      } catch {
        // An archive that cannot be read holds nothing the sync can go by: graph.jsonl is judged without it.
        this.held = new Map();
      }
    }
    return this.held;
  }

  /** How a line of the removed task `id` moves it backwards, when archive.jsonl holds that very task (its creation time). */
  backFromArchive(id: string, line: Line): string | null {
    const archived = this.lines().get(id);
    if (!archived || !sameJson(archived.created_at, line.created_at)) return null;
    return `out of the archive, where it still is (wg archive restore ${id} brings it back)`;
  }
}

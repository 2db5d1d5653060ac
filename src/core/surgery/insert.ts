import { filterAsync } from '../../shared/async-arrays';
import { WgError } from '../../shared/errors';
import type { InsertPosition } from '../../shared/surgery';
import { uniqueId } from '../graph/slug';
import type { StoreCore } from '../store/store-core';
import { dependenciesOf, findTaskRow, idsLike } from '../store/task-reads';
import { appendLog, insertTask, touch } from '../store/task-writes';
import { linkDependency, unlinkDependency } from '../store/dependency-writes';
import { beforeOf, setBefore } from './before-lists';

/*
 * Upstream's `wg insert`: a new task at a place relative to an existing one, every edge rewritten in
 * one transaction. `before` makes it a prerequisite of the target, `after` a successor, `parallel`
 * puts it at the target's place (its predecessors and successors both). By default the old edges
 * stay; `splice` (before/after) routes them through the new task only, `replaceEdges` (parallel) has
 * the target's successors wait on the new task only (what `wg rescue` does).
 */

export interface InsertRequest {
  position: InsertPosition;
  target: string;
  title: string;
  description?: string;
  id?: string;
  splice?: boolean;
  replaceEdges?: boolean;
}

/** Upstream's `derive_id_from_title`: lowercase ASCII letters and digits, one dash between words, at most 40 characters. */
export function deriveIdFromTitle(title: string): string {
  let out = '';
  let dash = false;
  for (const c of title) {
    if (/^[A-Za-z0-9]$/.test(c)) {
      out += c.toLowerCase();
      dash = false;
    } else if (!dash) {
      out += '-';
      dash = true;
    }
  }
  const trimmed = out.replace(/^-+|-+$/g, '');
  return trimmed.length > 40 ? trimmed.slice(0, 40).replace(/-+$/, '') : trimmed;
}

/** The new task's id: the one given or derived, with -2, -3… when taken (upstream's unique_id). */
async function freeId(core: StoreCore, request: InsertRequest): Promise<string> {
  const base = request.id || deriveIdFromTitle(request.title) || 'task';
  return uniqueId(base, await idsLike(core, base));
}

/** Edits of upstream's `before` lists, made on copies read before anything changed, written at the end. */
class BeforeLists {
  private readonly lists = new Map<string, string[]>();
  constructor(private readonly core: StoreCore) {}
  async of(id: string): Promise<string[]> {
    let list = this.lists.get(id);
    if (!list) {
      list = await beforeOf(this.core, id);
      this.lists.set(id, list);
    }
    return list;
  }
  async add(id: string, item: string): Promise<void> {
    const list = await this.of(id);
    if (!list.includes(item)) list.push(item);
  }
  async remove(id: string, item: string): Promise<void> {
    this.lists.set(
      id,
      (await this.of(id)).filter((x) => x !== item),
    );
  }
  set(id: string, list: string[]): void {
    this.lists.set(id, list);
  }
  async write(rev: number): Promise<void> {
    for (const [id, list] of this.lists) {
      if (!(await findTaskRow(this.core, id))) continue;
      await setBefore(this.core, id, list);
      await touch(this.core, id, rev);
    }
  }
}

/**
 * Inserts the task in the write of revision `rev` (call inside `core.write`); returns its id. The
 * target is checked first: a missing one changes nothing.
 */
export async function insertAt(core: StoreCore, request: InsertRequest, actor: string, rev: number): Promise<string> {
  const { position, target } = request;
  if (!(await findTaskRow(core, target))) throw new WgError('not_found', `target task '${target}' not found`);
  const id = await freeId(core, request);
  const before = new BeforeLists(core);
  // The target's edges as they were, before anything moves: predecessors (after) and successors (before).
  const preds = await dependenciesOf(core, target);
  const succs = await filterAsync([...(await before.of(target))], async (s) => s !== id && (await findTaskRow(core, s)) !== undefined);
  for (const p of preds) await before.of(p);
  for (const s of succs) await before.of(s);

  let after: string[] = [];
  let newBefore: string[] = [];
  /** Dependency edges to make and unmake once the new task exists: [task, dependency]. */
  const link: Array<[string, string]> = [];
  const unlink: Array<[string, string]> = [];

  if (position === 'before') {
    newBefore = [target];
    link.push([target, id]);
    if (request.splice) {
      after = preds;
      for (const p of preds) {
        await before.add(p, id);
        await before.remove(p, target);
        unlink.push([target, p]);
      }
    }
  } else if (position === 'after') {
    after = [target];
    if (request.splice) {
      newBefore = succs;
      for (const s of succs) {
        link.push([s, id]);
        unlink.push([s, target]);
      }
      before.set(target, [id]);
    } else {
      await before.add(target, id);
    }
  } else {
    after = preds;
    newBefore = succs;
    for (const p of preds) await before.add(p, id);
    for (const s of succs) {
      link.push([s, id]);
      if (request.replaceEdges) unlink.push([s, target]);
    }
    if (request.replaceEdges) before.set(target, []);
  }

  await insertTask(core, { id, title: request.title, description: request.description, after }, rev);
  await appendLog(core, id, actor, 'Task created');
  before.set(id, newBefore);
  for (const [task, dep] of link) await linkDependency(core, task, dep, rev);
  for (const [task, dep] of unlink) {
    if ((await dependenciesOf(core, task)).includes(dep)) await unlinkDependency(core, task, dep, rev);
  }
  await before.write(rev);
  await touch(core, target, rev);
  return id;
}

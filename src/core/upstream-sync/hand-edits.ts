import type { StoreCore } from '../store/store-core';
import { earlierLine, stampText } from './sync-records';
import { type Line, mergeLogs, sameJson } from './task-merge';

/** A person's edit found on an older line of a task: the line as it stands with their fields, and those fields' names. */
export interface HandEdit {
  line: Line;
  fields: string[];
}

/** Fields no edit by hand is told by: the log is merged entry by entry, the stamp is the version's, the id is the task. */
const NOT_HAND_EDITS = new Set(['log', 'last_interaction_at', 'id', 'kind']);

/**
 * A line of a version refused as older that a person changed by hand: an editor's copy read before this app changed
 * the task (a done arriving while they edit its title) and saved after. Told from graph.jsonl's earlier line of the
 * same stamp (earlierLine: an editor keeps the stamp it read), the fields they changed are put on the line as it
 * stands now; the rest of the older line (its status, say) is stale and left. Null when that earlier line is not kept
 * or nothing was changed on it. (Else a title edit goes whole into graph.jsonl.refused, the title unchanged.)
 */
export async function handEditOnEarlier(core: StoreCore, id: string, refused: Line, now: Line): Promise<HandEdit | null> {
  const stamp = stampText(refused);
  const earlier = stamp === null ? null : await earlierLine(core, id, stamp);
  if (!earlier) return null;
  const fields = [...new Set([...Object.keys(earlier), ...Object.keys(refused)])].filter(
    (field) => !NOT_HAND_EDITS.has(field) && !sameJson(earlier[field], refused[field]),
  );
  if (fields.length === 0) return null;
  const line: Line = Object.fromEntries(Object.entries(now).filter(([field]) => !fields.includes(field) || refused[field] !== undefined));
  for (const field of fields) {
    const value = refused[field];
    if (value !== undefined) line[field] = value;
  }
  const log = mergeLogs(now.log, refused.log);
  if (log.length > (Array.isArray(now.log) ? now.log.length : 0)) line.log = log;
  return { line, fields };
}

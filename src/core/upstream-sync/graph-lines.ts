import { createHash } from 'node:crypto';
import type { JsonValue } from '../../shared/task';
import { NUL_HELD, nulAt } from '../../shared/nul-text';
import type { Line } from './task-merge';

/*
 * graph.jsonl split into its nodes as upstream reads it (`load_graph_inner`): one JSON
 * object a line, blank lines and `#` comments skipped, a repeated id a later definition of the same
 * node. Each line's text is kept, so a line nobody changed is written back byte for byte.
 */

export interface FileNode {
  /** A task's id; other nodes (upstream's resources) are carried along as they are. */
  id: string;
  task: boolean;
  raw: string;
  hash: string;
  /** The line's JSON (parsed when first asked: a line the last sync recorded is known by its hash alone). */
  readonly line: Line;
}

export class GraphFileError extends Error {}

/** A line of git's conflict markers: the person is finishing a merge of graph.jsonl. */
export class ConflictMarkerError extends GraphFileError {}

export function lineHash(raw: string): string {
  return createHash('sha1').update(raw).digest('base64');
}

/** A line git leaves in a file it could not merge on its own: `<<<<<<< ours`, `=======`, `>>>>>>> theirs`. */
const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/;

/** Whether the text holds a line of git's conflict markers (a merge of graph.jsonl the person is finishing). */
export function hasConflictMarkers(text: string): boolean {
  return text.split('\n').some((line) => CONFLICT_MARKER.test(line));
}

function parseNode(raw: string, number: number): Line {
  let value: JsonValue;
  try {
    value = JSON.parse(raw) as JsonValue;
  } catch {
    // Two people's graph.jsonl merged by git, each with their tasks: the person finishes the merge, as for any file.
    if (CONFLICT_MARKER.test(raw))
      throw new ConflictMarkerError(
        `line ${number} of graph.jsonl is a merge conflict marker (${raw.slice(0, 7)}): finish the merge (keep the lines of each task you want, remove the marker lines)`,
      );
    throw new GraphFileError(`line ${number} of graph.jsonl is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof value.id !== 'string') {
    throw new GraphFileError(`line ${number} of graph.jsonl is not a node with an id`);
  }
  // Taken in no store, as `wg import` takes none (nul-text.ts): said as any line the sync cannot take. JSON writes a
  // NUL only as \u0000 (a raw one is not valid JSON), so a line without that text is not walked.
  const nul = raw.includes('\\u0000') ? nulAt(value) : null;
  if (nul !== null) throw new GraphFileError(`line ${number} of graph.jsonl: ${nul} ${NUL_HELD}`);
  return value;
}

/**
 * The text up to its last whole line, when its last line is cut (no newline after it, and not a
 * node): a writer writing it in place, not yet done. Null when every line is whole.
 */
export function beforeCutLine(text: string): string | null {
  if (text === '' || text.endsWith('\n')) return null;
  const start = text.lastIndexOf('\n') + 1;
  const last = text.slice(start).trim();
  if (last === '' || last.startsWith('#')) return null;
  try {
    const value: unknown = JSON.parse(last);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return null;
  } catch {
    // cut
  }
  return text.slice(0, start);
}

/**
 * The file's nodes. `known` maps the hash of each task line the last sync recorded to its task's id:
 * such a line is not parsed unless its JSON is asked for (a sync concerns few tasks of a large file).
 */
export function parseGraphLines(text: string, known: ReadonlyMap<string, string> = new Map()): FileNode[] {
  const nodes: FileNode[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const raw = rawLine.trim();
    if (!raw || raw.startsWith('#')) return;
    const hash = lineHash(raw);
    const id = known.get(hash);
    if (id !== undefined) {
      let parsed: Line | null = null;
      const line = (): Line => {
        if (parsed === null) parsed = parseNode(raw, index + 1);
        return parsed;
      };
      nodes.push({
        id,
        task: true,
        raw,
        hash,
        get line() {
          return line();
        },
      });
      return;
    }
    const line = parseNode(raw, index + 1);
    nodes.push({ id: line.id as string, task: (line.kind ?? 'task') === 'task', raw, hash, line });
  });
  return nodes;
}

/** The tasks of the file by id (a repeated id: its last line, as upstream reads it). */
export function tasksById(nodes: FileNode[]): Map<string, FileNode> {
  return new Map(nodes.filter((n) => n.task).map((n) => [n.id, n]));
}

/**
 * The file again with the merged tasks: each task at the place of its last line (`merged` null: gone;
 * absent from `merged`: as it was), then new tasks in the order given, then nothing else changed.
 */
export function writeGraphLines(nodes: FileNode[], merged: Map<string, Line | null>, added: Array<[string, Line]>): string {
  const lastIndex = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (n.task) lastIndex.set(n.id, i);
  });
  const out: string[] = [];
  nodes.forEach((n, i) => {
    if (!n.task || (lastIndex.get(n.id) === i && !merged.has(n.id))) out.push(n.raw);
    else if (lastIndex.get(n.id) === i) {
      const line = merged.get(n.id);
      if (line) out.push(JSON.stringify(line));
    }
  });
  for (const [, line] of added) out.push(JSON.stringify(line));
  return out.map((l) => `${l}\n`).join('');
}

import { closeSync, mkdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonValue } from '../../shared/task';
import { openAppendNoFollow } from '../files/no-follow';

/*
 * Upstream's operations log (`log/operations.jsonl` in the workgraph folder): one JSON line per graph
 * operation it audits, appended in one write (O_APPEND keeps whole lines whole even with upstream's own
 * `wg` appending at the same time). Only appended here, never rewritten: upstream rotates it.
 */

interface OperationEntry {
  timestamp: string;
  op: string;
  task_id?: string;
  actor?: string;
  user?: string;
  detail?: Record<string, JsonValue>;
}

export const operationsPath = (wgDir: string) => join(wgDir, 'log', 'operations.jsonl');

/** Upstream's `current_user`: WG_USER, else USER, else "unknown". */
export function currentUser(): string {
  return process.env.WG_USER || process.env.USER || 'unknown';
}

/** Appends one entry (its fields in upstream's order, the empty ones left out). */
export function recordOperation(
  wgDir: string,
  op: string,
  fields: { taskId?: string; actor?: string; detail?: Record<string, JsonValue> },
  now: Date = new Date(),
): void {
  const entry: OperationEntry = { timestamp: now.toISOString(), op };
  if (fields.taskId !== undefined) entry.task_id = fields.taskId;
  if (fields.actor !== undefined) entry.actor = fields.actor;
  entry.user = currentUser();
  if (fields.detail !== undefined) entry.detail = fields.detail;
  mkdirSync(join(wgDir, 'log'), { recursive: true, mode: 0o700 });
  const fd = openAppendNoFollow(operationsPath(wgDir));
  try {
    writeSync(fd, `${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
}

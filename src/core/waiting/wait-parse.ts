import { invalid } from '../../shared/errors';
import { parseDelaySeconds } from '../../shared/durations';
import { WAITABLE_STATUSES, type WaitCondition, type WaitSpec } from '../../shared/wait-condition';

/*
 * `wg wait ID --until …` as upstream's `wg wait` parses it (`parse_condition`): `task:ID=STATUS`, `timer:DUR`, `human-input`,
 * `message`, `file:PATH`; `,` joins them with AND, `|` with OR, never both. Pure: the clock, the
 * graph and the file's modification time come in.
 */

export interface ParseEnv {
  nowMs: number;
  taskExists(id: string): boolean;
  /** The file's modification time in ms, or null when it does not exist (upstream then waits from 0). */
  mtimeMs(path: string): number | null;
  /** A relative `file:` path made absolute (against the project's folder): the coordinator reads it from elsewhere. */
  resolvePath(path: string): string;
}

/** Upstream's `parse_delay`: digits then one unit of s, m, h or d; seconds, or null. */
export const parseDelay = parseDelaySeconds;

function parseCondition(raw: string, env: ParseEnv): WaitCondition {
  const s = raw.trim();
  if (s === 'human-input') return { type: 'human-input' };
  if (s === 'message') return { type: 'message' };
  if (s.startsWith('task:')) {
    const rest = s.slice('task:'.length);
    const eq = rest.indexOf('=');
    if (eq < 0) throw invalid(`Invalid task condition '${s}'. Expected format: task:<id>=<status>`);
    const taskId = rest.slice(0, eq);
    const status = rest.slice(eq + 1);
    if (!env.taskExists(taskId)) throw invalid(`Task '${taskId}' referenced in condition does not exist`);
    if (!(WAITABLE_STATUSES as readonly string[]).includes(status)) throw invalid(`Unknown status '${status}' in condition`);
    return { type: 'task-status', task_id: taskId, status: status as (typeof WAITABLE_STATUSES)[number] };
  }
  if (s.startsWith('timer:')) {
    const rest = s.slice('timer:'.length);
    const seconds = parseDelay(rest);
    if (seconds === null) throw invalid(`Invalid timer duration '${rest}'. Use e.g. 5m, 2h, 30s`);
    const at = env.nowMs + seconds * 1000;
    if (!Number.isFinite(new Date(at).getTime())) throw invalid(`Invalid timer duration '${rest}'. Use e.g. 5m, 2h, 30s`);
    return { type: 'timer', resume_after: new Date(at).toISOString() };
  }
  if (s.startsWith('file:')) {
    const path = s.slice('file:'.length).trim();
    if (path === '') throw invalid('Empty file path in condition');
    const absolute = env.resolvePath(path);
    const mtimeMs = env.mtimeMs(absolute) ?? 0;
    return { type: 'file-changed', path: absolute, mtime_at_wait: Math.floor(mtimeMs / 1000), mtime_ms_at_wait: mtimeMs };
  }
  throw invalid(`Unknown condition '${s}'. Supported: task:<id>=<status>, timer:<dur>, human-input, message, file:<path>`);
}

/** Upstream's `parse_wait_spec`: a single condition is `all` of one. */
export function parseWaitSpec(text: string, env: ParseEnv): WaitSpec {
  const comma = text.includes(',');
  const pipe = text.includes('|');
  if (comma && pipe) throw invalid('Cannot mix AND (,) and OR (|) in a single --until expression. Use all commas or all pipes.');
  if (pipe) return { mode: 'any', conditions: text.split('|').map((part) => parseCondition(part, env)) };
  if (comma) return { mode: 'all', conditions: text.split(',').map((part) => parseCondition(part, env)) };
  return { mode: 'all', conditions: [parseCondition(text, env)] };
}

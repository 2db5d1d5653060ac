import { isAbsolute, relative, resolve } from 'node:path';
import type { RunEvent } from '../../../shared/run-event';

/**
 * A run's exit 0 without `wg done`: whether it counts as done, and if not, why when it is more than
 * "nothing changed" (the scheduler's NO_WORK_REASON).
 */
export type Evidence = { found: true } | { found: false; reason?: string };

/**
 * What is known of one run's own work when it exits 0 without `wg done`, on this machine or on an
 * agent daemon's. Only what this run did: an earlier attempt's commits were there when it started.
 */
export interface WorkFacts {
  /** It wrote to its task: log entries or artifacts (both are logged under its own id). */
  reported: boolean;
  /** Its folder differs from when it started (commits since its start included). */
  changed: boolean;
  /** Other runs that worked in the same folder while it ran (none: the folder was its own meanwhile). */
  others: readonly string[];
  /** One of its own tool calls that did not fail wrote a file inside its folder. */
  wroteByTool: boolean;
  /** Its folder's changes, as the reason names them ("the project folder's changes"). */
  changes: string;
  /** What to do instead, for the reason ("report with wg done, or give it a worktree"). */
  advice: string;
}

/**
 * The one rule for local and remote runs alike. Evidence is: what it reported on its task; any change
 * of its folder when no other run worked there meanwhile; in a folder others worked in too, only a
 * file it wrote by a tool call that names it (a shell command names no file it writes, and a change
 * there cannot be told to be this run's). Nothing else counts: not the exit code, not the work that
 * was in its folder before it started.
 */
export function judgeWork(facts: WorkFacts): Evidence {
  if (facts.reported) return { found: true };
  if (!facts.changed) return { found: false };
  if (facts.others.length === 0 || facts.wroteByTool) return { found: true };
  const named =
    facts.others.length > 3 ? `${facts.others.slice(0, 3).join(', ')} and ${facts.others.length - 3} more` : facts.others.join(', ');
  return {
    found: false,
    reason: `agent exited without wg done, and ${facts.changes} cannot be told to be its own (other runs worked there meanwhile: ${named}); ${facts.advice}`,
  };
}

/**
 * The files a tool call of the run says it wrote: Claude Code's Write, Edit, MultiEdit (file_path) and
 * NotebookEdit (notebook_path), codex's file_change (each change's path). A shell command (Bash, codex's
 * command_execution) names no file it is known to write: reading and listing are shell commands too.
 */
function writtenFiles(event: RunEvent): string[] {
  if (event.type !== 'tool_use' || typeof event.input !== 'object' || event.input === null) return [];
  const input = event.input as Record<string, unknown>;
  switch (event.name) {
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
      return typeof input.file_path === 'string' ? [input.file_path] : [];
    case 'NotebookEdit':
      return typeof input.notebook_path === 'string' ? [input.notebook_path] : [];
    case 'file_change':
      return (Array.isArray(input.changes) ? input.changes : [])
        .map((change) => (typeof change === 'object' && change !== null ? (change as { path?: unknown }).path : null))
        .filter((path): path is string => typeof path === 'string');
    default:
      return [];
  }
}

/**
 * Which of a run's tool calls wrote a file inside its folder, and which failed: fed its events as
 * they come (an agent daemon's job streams them), asked at the end.
 */
export class ToolWrites {
  private readonly wrote = new Set<string>();
  private readonly failed = new Set<string>();

  constructor(private readonly folder: string) {}

  add(events: readonly RunEvent[]): this {
    for (const event of events) {
      if (event.type === 'tool_result' && event.is_error) this.failed.add(event.tool_use_id);
      else if (event.type === 'tool_use' && writtenFiles(event).some((path) => this.inside(path))) this.wrote.add(event.id);
    }
    return this;
  }

  /** Whether a tool call that did not fail wrote a file inside the folder. */
  any(): boolean {
    for (const id of this.wrote) if (!this.failed.has(id)) return true;
    return false;
  }

  private inside(path: string): boolean {
    const rel = relative(resolve(this.folder), resolve(this.folder, path));
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }
}

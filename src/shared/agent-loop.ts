/** The agent's own loop (upstream's `wg next`, `wg checkpoint`, `wg exec`): shapes shared by the ops and their faces. */
import type { Task } from './task';

/** A task `wg next` weighs for an agent identity (upstream's TaskCandidate). */
export interface TaskCandidate {
  id: string;
  title: string;
  score: number;
  matched_skills: string[];
  missing_skills: string[];
  hours: number | null;
  inputs_available: boolean;
}

/** `wg next --actor A` (upstream's NextTaskResult). */
export interface NextTaskResult {
  agent_id: string;
  agent_name: string;
  agent_capabilities: string[];
  recommended: TaskCandidate | null;
  alternatives: TaskCandidate[];
}

export const CHECKPOINT_TYPES = ['explicit', 'auto'] as const;
type CheckpointType = (typeof CHECKPOINT_TYPES)[number];

/** A saved checkpoint (upstream's Checkpoint, its JSON file). */
export interface Checkpoint {
  task_id: string;
  agent_id: string;
  timestamp: string;
  type: CheckpointType;
  summary: string;
  files_modified: string[];
  artifacts_registered: string[];
  stream_offset: number | null;
  turn_count: number | null;
  token_usage: { input: number; output: number } | null;
}

/** `wg checkpoint`: the one saved and where, or with `--list` the agent's checkpoints. */
export type CheckpointResult =
  | { saved: Checkpoint; file: string }
  | { agent_id: string; task_id: string | null; checkpoints: Checkpoint[] };

/** What `wg exec` did (or, in a dry run, would do). */
export type ExecResult =
  | { kind: 'set'; task: string; command: string }
  | { kind: 'cleared'; task: string; had_command: boolean }
  | { kind: 'shell-dry-run'; task: string; command: string; status: string }
  | {
      kind: 'shell';
      task: Task;
      command: string;
      claimed: boolean;
      exit_code: number;
      stdout: string;
      stderr: string;
      /** The command exited 0 (the task is done); otherwise it failed, and `wg` exits 1 (upstream's error). */
      ok: boolean;
    }
  | {
      kind: 'session-dry-run';
      task: string;
      /** Already in progress: a session would re-enter it, as upstream's note says (who has it). */
      in_progress: boolean;
      assigned_before: string | null;
      env: Record<string, string>;
      prompt: string;
    }
  | {
      kind: 'session';
      task: string;
      claimed: boolean;
      /** Already in progress: the person re-enters it (upstream's note). */
      assigned_before: string | null;
      command: string;
      args: string[];
      env: Record<string, string>;
      cwd: string;
      prompt_file: string;
      worktree: { path: string; branch: string } | null;
    };

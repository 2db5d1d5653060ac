import type { Agent } from '../../shared/agent';
import type { ExecutorProfile, Settings } from '../../shared/config-types';
import type { RunEvent } from '../../shared/run-event';
import type { JsonValue, Task } from '../../shared/task';

/**
 * The seam between executors and the coordinator. An executor is a PURE function from a task
 * (and its context) to a LaunchSpec; the coordinator's runner performs every launch the same way
 * (claim first, own process group, output to files, exit code recorded), so crash recovery and
 * killing never depend on the executor type.
 */

/** Where the model came from; the spawn log entry names it. */
export type ModelSource = 'task' | 'identity' | 'executor' | 'role' | 'coordinator' | 'agent' | 'tier' | 'default' | 'command';

export interface ResolvedModel {
  /** The name as written (registry name or raw id); null when the executor picks its own default. */
  name: string | null;
  /** What to pass to the tool (the registry's model_id when registered). */
  id: string | null;
  source: ModelSource;
  /** Who serves it, from the registry (null for a raw id: the executor is trusted to know it). */
  provider: string | null;
  /** The registry model's own endpoint, when it names one (absent: the provider's). */
  endpoint?: ModelEndpoint;
}

/** A registry model's own endpoint: its name as written, the URL (null: the name names nothing) and key variable. */
export interface ModelEndpoint {
  name: string;
  url: string | null;
  keyEnv: string | null;
}

/** Which streaming parser turns the process's stdout into RunEvents. */
export type OutputFormat = 'claude-stream-json' | 'codex-json' | 'plain';

export type LaunchSpec =
  | {
      kind: 'process';
      command: string;
      args: string[];
      /** Extra environment on top of the agent environment (WG_* variables are added by the runner). */
      env: Record<string, string>;
      /** Written to a file and given as stdin (the prompt, for claude). */
      stdin: string | null;
      cwd: string;
      output: OutputFormat;
      /**
       * The program the run needs on this machine, when `command` is a holder of this app's that starts it (a codex
       * run is `wg codex-run`, which starts codex): what a claim checks is there (claim-waits.ts). Absent: `command`.
       */
      program?: string;
    }
  | { kind: 'http'; endpoint: string; method: 'POST' | 'PUT'; payload: Record<string, JsonValue> }
  /** Claimed for someone outside the app; waits for `wg done ID --agent A` or the API. */
  | { kind: 'external' }
  /** Never started automatically. */
  | { kind: 'manual' }
  /** Run by an agent daemon on another machine, in its copy of `repo` (see src/core/agent-daemons). */
  | { kind: 'remote'; repo: string; role: string | null; prompt: string; model: string | null; timeout_s: number | null };

export interface LaunchContext {
  task: Task;
  agent: Agent;
  /** The run's id: its processes carry it (WG_RUN_ID), and its reports show it to prove they are its own. */
  runId: string;
  profile: ExecutorProfile;
  model: ResolvedModel;
  settings: Settings;
  /** The project folder agents work in. */
  cwd: string;
  prompt: string;
  /** This app's `wg` as the run finds it (WG_BIN: runs/starting/agent-wg.ts); a codex run's command (codex.ts). */
  wgPath: string;
  /** Session to resume on a retry (claude --resume). */
  resumeSessionId: string | null;
  /**
   * The marker `wg msg send` leaves for this task's agent (core/messages/delivery-hooks.ts): claude runs get hooks
   * that hand it new messages while they work (a codex run's holder watches it: codex.ts). Null: no delivery while running.
   */
  messageInbox: string | null;
  /** For http: where the remote agent reports (`WG_API_URL`) and with what token. */
  apiUrl: string | null;
  apiToken: string | null;
}

/** A streaming parser: chunks in (split anywhere, even mid-line), normalized events out. */
export interface OutputParser {
  push(chunk: string): RunEvent[];
  end(): RunEvent[];
}

import { delimiter, join } from 'node:path';
import { RUN_MARKER } from '../../processes/run-marker';
import { runCredential } from '../../credentials/run-credential';
import { keptFromRuns, type StoreSecrets } from './store-access-env';
import { claudeEnvFilePath } from './claude-env-file';

export interface AgentEnvInput {
  /** The coordinator's PATH, which the agent's PATH extends. */
  basePath: string;
  extra: Record<string, string>;
  taskId: string;
  agentId: string;
  /** The run's id: the marker its processes are found by, and the proof its reports come from it. */
  runId: string;
  wgDir: string;
  model: string | null;
  executor: string;
  apiUrl: string | null;
  /** The project's API token: it signs the run's credential (WG_API_TOKEN) and is never handed over itself. */
  apiToken: string | null;
  /** Folder holding this app's `wg`, put first on PATH. */
  wgBinDir: string;
}

/**
 * Variables of the coordinator's own environment that must not leak into an agent's identity, nor a
 * person's: a coordinator started from a shell that reaches another one (WG_SERVER, WG_TOKEN) must not
 * hand that person's token to its agents, nor send their `wg` there.
 */
const INHERITED_IDENTITY = [
  'WG_SERVER',
  'WG_TOKEN',
  'WG_CA_CERT',
  // An agent daemon's own credential: a run started where one is set could start a daemon of its own with it.
  'WG_AGENT_TOKEN',
  'WG_AGENT_TOKEN_FILE',
  'WG_TASK_ID',
  'WG_AGENT_ID',
  RUN_MARKER,
  'WG_MODEL',
  'WG_EXECUTOR',
  'WG_API_URL',
  'WG_API_TOKEN',
  'WG_BIN',
  'ELECTRON_RUN_AS_NODE',
  'WG_WORKTREE_PATH',
  'WG_BRANCH',
  'WG_PROJECT_ROOT',
  // `wg service start`'s pipe to the daemon it starts (service-start.ts): the daemon's own, closed once it answers.
  'WG_READY_FD',
];

/**
 * The coordinator's environment minus any agent identity it may itself have been started with, and minus what would
 * let a run open the project's store itself (store-access-env.ts: PG* variables, WG_STORE_URL, the store's URL, its
 * password under a secret's name; `store`: the coordinator's own store's, when it is in PostgreSQL). Every local run,
 * task runs and internal runs alike, is started on this base.
 */
export function baseAgentEnv(env: NodeJS.ProcessEnv, store: StoreSecrets | null = null): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !INHERITED_IDENTITY.includes(key) && !keptFromRuns(key, value, store)) base[key] = value;
  }
  return base;
}

/**
 * What an agent's environment adds to the coordinator's (baseAgentEnv): the executor's extras,
 * then the WG_* contract, WG_BIN (this app's `wg`, by its absolute path: login shells reset PATH),
 * PATH with that `wg` first, and CLAUDE_ENV_FILE, which puts it first again in every shell Claude Code
 * opens, login shells included (claude-env-file.ts; any run may start Claude Code, a shell task's too).
 */
export function agentEnvOverlay(input: AgentEnvInput): Record<string, string> {
  const env: Record<string, string> = { ...input.extra };
  env[RUN_MARKER] = input.runId;
  env.WG_TASK_ID = input.taskId;
  env.WG_AGENT_ID = input.agentId;
  env.WG_DIR = input.wgDir;
  env.WG_MODEL = input.model ?? '';
  env.WG_EXECUTOR = input.executor;
  env.WG_API_URL = input.apiUrl ?? '';
  // The run's own credential, never the project's token: it opens only this run's own task.
  env.WG_API_TOKEN = input.apiToken ? runCredential(input.apiToken, input.agentId, input.runId) : '';
  env.WG_BIN = join(input.wgBinDir, 'wg');
  const path = input.extra.PATH ?? input.basePath;
  env.PATH = path ? `${input.wgBinDir}${delimiter}${path}` : input.wgBinDir;
  env.CLAUDE_ENV_FILE = claudeEnvFilePath(input.wgBinDir);
  return env;
}

/**
 * The whole environment of a run: the marker first (a kill that scans process environments finds
 * it in the first bytes), then the coordinator's environment, then the overlay.
 */
export function runEnvironment(base: Record<string, string>, overlay: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  const marker = overlay[RUN_MARKER];
  if (marker !== undefined) env[RUN_MARKER] = marker;
  for (const [key, value] of Object.entries(base)) env[key] = value;
  for (const [key, value] of Object.entries(overlay)) env[key] = value;
  return env;
}

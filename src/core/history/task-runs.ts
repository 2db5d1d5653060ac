import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../../shared/agent';
import type { TraceRun } from '../../shared/history';
import type { ProjectPaths } from '../project';
import { runFiles } from '../run-folder/run-files';
import { runDir } from '../run-folder/run-log';
import type { Store } from '../store/store';
import { streamJsonStats } from './stream-stats';

/*
 * The runs of one task with where their prompt and output are: the attempts upstream's wg archived
 * (`log/agents/<task>/<timestamp>/prompt.txt` and `output.txt`, in a folder upstream also uses) and
 * this app's runs (`agent-N`: the prompt is what its command read on standard input, the output what
 * it wrote on standard output), oldest first. Sizes, lines, turns and tool calls as upstream's
 * load_agent_runs counts them.
 */

/** Rust's `str::lines().count()`: a last newline ends a line, it does not start one. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const parts = text.split('\n').length;
  return text.endsWith('\n') ? parts - 1 : parts;
}

function sizeOf(path: string | null): number | undefined {
  if (path === null) return undefined;
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

function readText(path: string | null): string | undefined {
  if (path === null || sizeOf(path) === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const NO_RUN = {
  agent_id: null,
  executor: null,
  model: null,
  state: null,
  purpose: null,
  started_at: null,
  ended_at: null,
  exit_code: null,
  reason: null,
  cost_usd: 0,
  tokens_in: 0,
  tokens_out: 0,
} as const;

/** Sizes, lines and counts of one prompt and output (their text too when `withContent`). */
function measured(
  timestamp: string,
  promptPath: string | null,
  outputPath: string | null,
  withContent: boolean,
): Pick<
  TraceRun,
  'timestamp' | 'prompt_bytes' | 'output_bytes' | 'prompt_lines' | 'output_lines' | 'prompt' | 'output' | 'tool_calls' | 'turns'
> {
  const prompt = readText(promptPath);
  const output = readText(outputPath);
  const stats = output === undefined ? { toolCalls: 0, turns: 0 } : streamJsonStats(output);
  const run: Awaited<ReturnType<typeof measured>> = { timestamp };
  const put = <K extends keyof typeof run>(key: K, value: (typeof run)[K] | undefined) => {
    if (value !== undefined) run[key] = value;
  };
  put('prompt_bytes', sizeOf(promptPath));
  put('output_bytes', sizeOf(outputPath));
  put('prompt_lines', prompt === undefined ? undefined : lineCount(prompt));
  put('output_lines', output === undefined ? undefined : lineCount(output));
  if (withContent) {
    put('prompt', prompt);
    put('output', output);
  }
  put('tool_calls', stats.toolCalls > 0 ? stats.toolCalls : undefined);
  put('turns', stats.turns > 0 ? stats.turns : undefined);
  return run;
}

/** Upstream's archived attempts of the task (none outside a folder upstream uses). */
function archivedAttempts(wgDir: string, taskId: string, withContent: boolean): TraceRun[] {
  const base = join(wgDir, 'log', 'agents', taskId);
  if (!existsSync(base)) return [];
  let names: string[];
  try {
    names = readdirSync(base, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const at = join(base, name);
    const prompt = join(at, 'prompt.txt');
    const output = join(at, 'output.txt');
    return {
      ...measured(name, prompt, output, withContent),
      ...NO_RUN,
      prompt_path: existsSync(prompt) ? prompt : null,
      output_path: existsSync(output) ? output : null,
    };
  });
}

function ownRun(paths: ProjectPaths, agent: Agent, withContent: boolean): TraceRun {
  const files = runFiles(runDir(paths.runsDir, agent.id));
  const prompt = existsSync(files.stdin) ? files.stdin : null;
  // Its output is its folder's stdout: output_path names the folder (claim.ts), and a folder read as the output
  // shows none. A file recorded there (a run of another tool's, say) is taken where it is a file.
  const output = [files.stdout, agent.output_path].find((path) => path !== null && sizeOf(path) !== undefined) ?? null;
  return {
    ...measured(agent.started_at, prompt, output, withContent),
    agent_id: agent.id,
    executor: agent.executor,
    model: agent.model,
    state: agent.state,
    purpose: agent.purpose,
    started_at: agent.started_at,
    ended_at: agent.ended_at,
    exit_code: agent.exit_code,
    reason: agent.reason,
    prompt_path: prompt,
    output_path: output,
    cost_usd: agent.cost_usd,
    tokens_in: agent.tokens_in,
    tokens_out: agent.tokens_out,
  };
}

/** The task's runs, oldest first; `withContent`: their prompt and output text too. */
export async function taskRuns(store: Store, paths: ProjectPaths, taskId: string, withContent: boolean): Promise<TraceRun[]> {
  const runs = [
    ...archivedAttempts(paths.dir, taskId, withContent),
    ...(await store.agents.forTask(taskId)).map((agent) => ownRun(paths, agent, withContent)),
  ];
  return runs.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
}

/** How many runs the task had (without reading their files). */
export async function runCount(store: Store, paths: ProjectPaths, taskId: string): Promise<number> {
  const base = join(paths.dir, 'log', 'agents', taskId);
  let archived = 0;
  try {
    if (existsSync(base)) archived = readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
  } catch {
    archived = 0;
  }
  return archived + (await store.agents.forTask(taskId)).length;
}

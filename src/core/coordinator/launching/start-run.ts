import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProjectPaths } from '../../project';
import { agentEnvOverlay } from './agent-env';
import type { Claimed } from './claim';
import { postLaunch } from './http-launch';
import { launchProcess } from './process-launch';
import type { SpawnHelper } from './spawn-helper';

export interface StartContext {
  paths: ProjectPaths;
  /** The coordinator's environment, stripped of any agent identity (baseAgentEnv). */
  baseEnv: Record<string, string>;
  wgBinDir: string;
  apiUrl: string | null;
  apiToken: string | null;
  helper: SpawnHelper;
  onError(message: string): void;
}

export type Started =
  /** `child` when started directly (Node reports its exit); null when the helper started it (it reports itself). */
  | { kind: 'process'; pid: number; child: ChildProcess | null }
  | { kind: 'remote' }
  | { kind: 'failed'; reason: string };

/** One mkdir: the runs folder is there already but for the first run. */
function makeRunDir(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir);
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Performs a claimed launch: a process is started through the spawn helper (or directly where it
 * cannot be), an http service is posted to, an external agent needs nothing. Failures come back
 * as a reason for the scheduler's launch-failed rule, never as a thrown error.
 */
export async function startRun(claimed: Claimed, ctx: StartContext): Promise<Started> {
  const { spec, agent, task, profile, model, files } = claimed;
  try {
    makeRunDir(files.dir);
  } catch (error) {
    return { kind: 'failed', reason: message(error) };
  }
  switch (spec.kind) {
    case 'process': {
      if (!existsSync(spec.cwd)) return { kind: 'failed', reason: `working folder ${spec.cwd} does not exist` };
      const overlay = agentEnvOverlay({
        basePath: ctx.baseEnv.PATH ?? '', extra: spec.env, taskId: task.id, agentId: agent.id, wgDir: ctx.paths.dir,
        model: model.id ?? model.name, executor: profile.name, apiUrl: ctx.apiUrl, apiToken: ctx.apiToken, wgBinDir: ctx.wgBinDir,
      });
      const job = {
        agentId: agent.id, dir: files.dir, command: spec.command, args: spec.args, env: overlay, cwd: spec.cwd,
        stdinFile: spec.stdin === null ? null : files.stdin,
      };
      try {
        if (spec.stdin !== null) writeFileSync(files.stdin, spec.stdin, { mode: 0o600 });
        const pid = await ctx.helper.start(job);
        if (pid !== null) return { kind: 'process', pid, child: null };
        const child = launchProcess(files, { command: spec.command, args: spec.args, env: { ...ctx.baseEnv, ...overlay }, cwd: spec.cwd, stdinFile: job.stdinFile });
        if (child.pid !== undefined) return { kind: 'process', pid: child.pid, child };
        const [error] = (await once(child, 'error').catch((e: unknown) => [e])) as unknown[];
        return { kind: 'failed', reason: error instanceof Error ? error.message : 'the process did not start' };
      } catch (error) {
        return { kind: 'failed', reason: message(error) };
      }
    }
    case 'http':
      try {
        await postLaunch(spec);
        return { kind: 'remote' };
      } catch (error) {
        return { kind: 'failed', reason: message(error) };
      }
    case 'external':
      return { kind: 'remote' };
    case 'remote':
      // Claimed by the remote dispatcher, which sends it to its daemon; never begun here.
      return { kind: 'failed', reason: 'a run for an agent daemon cannot be started locally' };
  }
}

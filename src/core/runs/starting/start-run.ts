import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from '../../../shared/config-types';
import type { ProjectPaths } from '../../project';
import type { Store } from '../../store/store';
import type { RunFiles } from '../../run-folder/run-files';
import type { LaunchSpec } from '../../executors/launch';
import { writeBaseline } from '../../worktrees/folder-baseline';
import { agentEnvOverlay } from './agent-env';
import type { Claimed } from '../claiming/claim';
import { postLaunch } from './http-launch';
import { launchRun, StartHeld, type WrapperEnd } from './launcher';
import { createRunCgroup, removeRunCgroup } from '../../processes/run-cgroup';
import { prepareWorkingFolder, runWorktreeFolder, type WorktreeRequest } from './working-folder';
import { errorText } from '../../../shared/errors';

export interface StartContext {
  paths: ProjectPaths;
  /** Where a task run's worktree is recorded, and the settings that say whether it has one. */
  store: Store;
  settings: Pick<Settings, 'coordinator'>;
  /** The coordinator's environment, stripped of any agent identity (baseAgentEnv). */
  baseEnv: Record<string, string>;
  wgBinDir: string;
  apiUrl: string | null;
  apiToken: string | null;
  /**
   * How long a claimed run may still begin (absent: always; 0: not now). On a team's graph, only while this
   * coordinator's lease cannot have lapsed: a coordinator frozen between its claim and the start may have been
   * declared lost meanwhile, and the run retried by another (StartGate.startWindowMs).
   */
  startWindowMs?: () => number;
}

export type Started =
  /** `ended` settles when this process sees the run end (a run adopted later is polled instead). */
  | { kind: 'process'; pid: number; cgroup: string | null; ended: Promise<WrapperEnd> }
  | { kind: 'remote' }
  | { kind: 'failed'; reason: string; detail?: string }
  /** Not started: it may not start now (StartContext.startWindowMs); the claim stands. */
  | { kind: 'held' };

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

const message = (error: unknown) => errorText(error);

type ProcessSpec = Extract<LaunchSpec, { kind: 'process' }>;

/** What a process launch is given. */
interface ProcessStart {
  spec: ProcessSpec;
  files: RunFiles;
  runId: string;
  /** The coordinator's environment (baseAgentEnv), to which `env` adds the run's own (see runEnvironment). */
  baseEnv: Record<string, string>;
  env: Record<string, string>;
  noteBaseline: boolean;
  worktree?: WorktreeRequest;
  startWindowMs?: () => number;
}

/**
 * A process launch: its working folder made ready (a task run's own worktree first, when it has
 * one; for an agent, its state noted), then started by the launcher (launcher.ts) with the agent
 * environment (its run id first), composed from the base and the run's own variables.
 */
export async function startProcess(input: ProcessStart): Promise<Started> {
  // Made before anything here waits, so the runs a turn claimed make their cgroups back to back before the
  // first of them starts. A mkdir in the cgroup file system waits while any process joins a cgroup (the kernel
  // holds cgroup_mutex across the join's RCU grace period, wrapper.ts): made between the starts, a start could wait
  // out the grace period of the wrapper started before it, with the coordinator's event loop stopped.
  const cgroup = createRunCgroup(input.runId);
  const started = await startInCgroup(input, cgroup);
  if (cgroup && started.kind !== 'process') removeRunCgroup(cgroup);
  return started;
}

async function startInCgroup(input: ProcessStart, cgroup: string | null): Promise<Started> {
  const { spec, files } = input;
  try {
    const where = input.worktree ? await runWorktreeFolder(input.worktree, spec.cwd) : { ok: true as const, cwd: spec.cwd, env: {} };
    if (!where.ok) return { kind: 'failed', reason: where.reason, ...(where.detail ? { detail: where.detail } : {}) };
    const folder = await prepareWorkingFolder(where.cwd, { baseline: input.noteBaseline });
    if (!folder.ok) return { kind: 'failed', reason: folder.reason };
    if (folder.baseline) {
      makeRunDir(files.dir);
      writeBaseline(files.baseline, folder.baseline);
    }
    const launched = await launchRun({
      dir: files.dir,
      command: spec.command,
      args: spec.args,
      base: input.baseEnv,
      env: { ...input.env, ...where.env },
      cwd: folder.path,
      stdin: spec.stdin,
      cgroup,
      ...(input.startWindowMs ? { startWindowMs: input.startWindowMs } : {}),
    });
    return { kind: 'process', pid: launched.pid, cgroup: launched.cgroup, ended: launched.ended };
  } catch (error) {
    if (error instanceof StartHeld) return { kind: 'held' };
    return { kind: 'failed', reason: message(error) };
  }
}

/**
 * Performs a claimed launch: a process is started, an http service is posted to, an external
 * agent needs nothing. Failures come back as a reason for the scheduler's launch-failed rule,
 * never as a thrown error.
 */
export async function startRun(claimed: Claimed, ctx: StartContext): Promise<Started> {
  const { spec, agent, task, profile, model, files } = claimed;
  switch (spec.kind) {
    case 'process': {
      const overlay = agentEnvOverlay({
        basePath: ctx.baseEnv.PATH ?? '',
        extra: spec.env,
        taskId: task.id,
        agentId: agent.id,
        runId: claimed.runId,
        wgDir: ctx.paths.dir,
        model: model.id ?? model.name,
        executor: profile.name,
        apiUrl: ctx.apiUrl,
        apiToken: ctx.apiToken,
        wgBinDir: ctx.wgBinDir,
      });
      // A run its claim planned in the project folder itself has no worktree to make or reuse: asking
      // git's view of the folder again would stat up to the root for nothing.
      const inProject = claimed.folder.worktree === null && claimed.folder.cwd === ctx.paths.root;
      const worktree = inProject
        ? undefined
        : {
            store: ctx.store,
            paths: ctx.paths,
            settings: ctx.settings,
            taskId: task.id,
            agentId: agent.id,
            executorType: profile.type,
            worktree: profile.worktree,
          };
      return startProcess({
        spec,
        files,
        runId: claimed.runId,
        baseEnv: ctx.baseEnv,
        env: overlay,
        noteBaseline: claimed.record.needs_evidence,
        worktree,
        ...(ctx.startWindowMs ? { startWindowMs: ctx.startWindowMs } : {}),
      });
    }
    case 'http':
      if (ctx.startWindowMs && ctx.startWindowMs() <= 0) return { kind: 'held' };
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

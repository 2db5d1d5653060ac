import type { ExecutorProfile } from '../../shared/config-types';
import { invalid } from '../../shared/errors';
import type { Task } from '../../shared/task';
import type { LaunchContext, LaunchSpec } from './launch';

export interface RemoteTarget {
  repo: string;
  /** null: any role. */
  role: string | null;
}

/**
 * Where a remote task may run: its own repository and role, else its executor profile's. A remote
 * task without a repository cannot run anywhere (a daemon works inside one of its repositories).
 */
export function remoteTarget(
  task: Pick<Task, 'id' | 'repo' | 'role'>,
  profile: Pick<ExecutorProfile, 'name' | 'repo' | 'role'>,
): RemoteTarget {
  const repo = task.repo ?? profile.repo;
  if (!repo) {
    throw invalid(
      `task '${task.id}' runs on an agent daemon (executor '${profile.name}') but names no repository; set one with: wg edit ${task.id} --repo owner/name`,
    );
  }
  return { repo, role: task.role ?? profile.role ?? null };
}

/**
 * Handed to an agent daemon (src/core/agent-daemons) rather than started here. How long it may run is the claim's to
 * say (runs/claiming/run-timeout.ts, the rule of every run): it alone knows the spawn's own `--timeout`, so no partial
 * answer is given here.
 */
export function buildRemoteLaunch(ctx: LaunchContext): LaunchSpec {
  const { repo, role } = remoteTarget(ctx.task, ctx.profile);
  return { kind: 'remote', repo, role, prompt: ctx.prompt, model: ctx.model.id, timeout_s: null };
}

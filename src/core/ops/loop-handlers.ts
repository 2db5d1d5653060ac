import type { Checkpoint } from '../../shared/agent-loop';
import { WgError } from '../../shared/errors';
import { includesEvent } from '../../shared/watch-events';
import { isSystemTaskId } from '../../shared/task';
import { listCheckpoints, maxCheckpoints, saveCheckpoint } from '../run-folder/checkpoints';
import { endSession, prepareSession } from '../agent-loop/exec-session';
import { clearExec, runShell, setExec, shellDryRun } from '../agent-loop/exec-shell';
import { rankCandidates, scoreTask } from '../agent-loop/next-task';
import { eventHistory } from '../store/event-history';
import { AGENT_GUIDE } from '../guides/agent-guide';
import { quickstartSections, quickstartText } from '../guides/quickstart';
import type { Handlers } from './context';

type LoopOps = 'task:next' | 'task:checkpoint' | 'task:exec' | 'task:execEnd' | 'guide:quickstart' | 'guide:agentGuide' | 'graph:events';

export const loopHandlers: Handlers<LoopOps> = {
  'task:next': async ({ actor }, { store }) => {
    // resolveIdentity's own line says what is wrong ("no agent 'x'", an ambiguous prefix, none given). Upstream
    // wraps it as "Agent 'x' not found: …", which said not found twice and called every other failure not found.
    const identity = await store.agency.resolveIdentity(actor);
    const trust = (await store.agency.extras('agents')).get(identity.id)?.extra.trust_level;
    const agent = { capabilities: identity.capabilities, verified: trust === 'verified' || trust === 'Verified' };
    const ready = (await store.ready()).filter((task) => !isSystemTaskId(task.id));
    const artifactsOf = new Map((await store.list()).map((t) => [t.id, t.artifacts]));
    const candidates = ready.map((task) => scoreTask(task, agent, new Set(task.after.flatMap((dep) => artifactsOf.get(dep) ?? []))));
    return {
      agent_id: identity.id,
      agent_name: identity.name,
      agent_capabilities: identity.capabilities,
      ...rankCandidates(candidates),
    };
  },
  'task:checkpoint': async (input, { store, paths, agent: caller }) => {
    const task = await store.get(input.task);
    const agentId = input.agent ?? caller?.id ?? task.assigned;
    if (input.list) {
      if (!(input.agent ?? caller?.id)) throw new WgError('invalid', '--agent or WG_AGENT_ID required for --list');
      const who = (input.agent ?? caller?.id) as string;
      return { agent_id: who, task_id: input.task, checkpoints: listCheckpoints(paths.runsDir, who, input.task) };
    }
    if (!agentId) throw new WgError('invalid', 'No agent ID specified. Use --agent, set WG_AGENT_ID, or ensure task is assigned.');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(agentId)) throw new WgError('invalid', `'${agentId}' cannot name a checkpoint folder`);
    const tokens =
      input.tokenInput !== undefined && input.tokenOutput !== undefined ? { input: input.tokenInput, output: input.tokenOutput } : null;
    const checkpoint: Checkpoint = {
      task_id: input.task,
      agent_id: agentId,
      timestamp: store.core.clock().toISOString(),
      type: input.checkpointType,
      summary: input.summary as string,
      files_modified: input.files ?? [],
      artifacts_registered: task.artifacts,
      stream_offset: input.streamOffset ?? null,
      turn_count: input.turnCount ?? null,
      token_usage: tokens,
    };
    const file = saveCheckpoint(paths.runsDir, checkpoint, maxCheckpoints(paths));
    return { saved: checkpoint, file };
  },
  'task:exec': async (input, { store, paths, actor }) => {
    if (input.set !== undefined) return setExec(store, input.task, input.set);
    if (input.clear) return clearExec(store, input.task);
    if (input.shell) {
      if (input.dryRun) return shellDryRun(store, input.task);
      return runShell(store, input.task, paths.root, input.actor, input.actor ?? actor);
    }
    return prepareSession(store, paths, {
      task: input.task,
      actor: input.actor,
      logActor: actor,
      dryRun: input.dryRun === true,
      worktree: input.worktree === true,
      model: input.model,
    });
  },
  'task:execEnd': ({ task, exitCode, actor }, ctx) => endSession(ctx.store, task, exitCode, actor ?? ctx.actor),
  'guide:quickstart': () => ({ text: quickstartText(), sections: quickstartSections() }),
  'guide:agentGuide': () => AGENT_GUIDE,
  'graph:events': async ({ limit, event, task }, { store }) => {
    const filters = event && event.length > 0 ? event : ['all'];
    const events = (await eventHistory(store)).filter((e) => includesEvent(e.type, filters, task, e.task_id));
    return limit === 0 ? [] : events.slice(-limit);
  },
};

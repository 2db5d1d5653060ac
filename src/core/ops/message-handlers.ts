import { invalid } from '../../shared/errors';
import { markInbox } from '../messages/inbox-marker';
import type { Handlers, OpContext } from './context';

type MessageOps = 'msg:send' | 'msg:list' | 'msg:read' | 'msg:poll';

/**
 * Who a message is from, by upstream's rule (its `Commands::Msg` dispatch): `--from` when given; from
 * inside an agent run, the task it works on (upstream: WG_TASK_ID), so replies read as the task's;
 * else `user`.
 */
function senderOf(ctx: OpContext, from: string | undefined): string {
  if (from !== undefined) return from;
  if (ctx.agent) return ctx.store.agents.find(ctx.agent.id)?.task_id ?? ctx.agent.id;
  return 'user';
}

/** Who reads: `--agent`, else the agent run asking (WG_AGENT_ID), else `user` (upstream's default). */
function readerOf(ctx: OpContext, agent: string | undefined): string {
  return agent ?? ctx.agent?.id ?? 'user';
}

export const messageHandlers: Handlers<MessageOps> = {
  'msg:send': ({ task, message, from, priority }, ctx) => {
    // Upstream's two refusals (`run_send` of `wg msg send`); the empty one is the schema's.
    if (message === undefined) throw invalid('a message is required (or use --stdin)');
    const sent = ctx.store.messages.send({
      taskId: task,
      body: message,
      sender: senderOf(ctx, from),
      priority: priority ?? 'normal',
      agentId: ctx.agent?.id ?? null,
    });
    // An agent's own reply needs no waking of its hook; anyone else's message does.
    if (ctx.agent === undefined || ctx.store.agents.find(ctx.agent.id)?.task_id !== task) markInbox(ctx.paths.serviceDir, task);
    return sent;
  },
  'msg:list': ({ task }, { store }) => store.messages.list(task),
  'msg:read': ({ task, agent }, ctx) => ctx.store.messages.read(task, readerOf(ctx, agent)),
  'msg:poll': ({ task, agent }, ctx) => ctx.store.messages.unread(task, readerOf(ctx, agent)),
};

import type { OpName } from '../shared/ops/registry';

/**
 * The IPC channels, one per operation, named as the operation. Listed by name only so the
 * sandboxed preload bundles no zod and no registry; the checks below fail the type-check if
 * this list and the registry ever drift apart (a name missing here, or one that is not an op).
 */
export const OP_CHANNELS = [
  'task:add', 'task:edit', 'task:addDep', 'task:rmDep', 'task:show', 'task:list', 'task:ready',
  'task:claim', 'task:unclaim', 'task:done', 'task:fail', 'task:log', 'task:artifact', 'task:pause',
  'task:publish', 'task:retry', 'task:abandon', 'task:heartbeat',
  'graph:snapshot', 'graph:export', 'graph:import', 'graph:viz',
  'config:list', 'config:update',
  'model:list', 'model:add', 'model:remove', 'model:setDefault', 'model:setRole',
  'executor:list', 'executor:add', 'executor:remove',
  'eval:record', 'eval:show',
  'agent:list', 'agent:kill', 'agent:dead', 'run:events',
  'service:status', 'service:pause', 'service:resume', 'service:reload', 'task:spawn',
  'token:create', 'token:list', 'token:revoke', 'remote:status',
  'worktree:list', 'worktree:show', 'worktree:gc', 'worktree:remove',
  'agency:init', 'agency:overview', 'agency:stats', 'agency:export', 'agency:import',
  'role:add', 'role:list', 'role:show', 'role:edit', 'role:rm', 'tradeoff:add', 'tradeoff:list', 'tradeoff:show', 'tradeoff:rm',
  'identity:create', 'identity:list', 'identity:show', 'identity:rm', 'task:assign',
  'graph:status', 'task:context', 'task:blocked', 'task:whyBlocked', 'graph:check', 'task:cost', 'graph:criticalPath', 'graph:bottlenecks',
  'task:resume', 'task:approve', 'task:reject', 'task:requeue', 'task:reclaim', 'task:incomplete', 'eval:run',
  'msg:send', 'msg:list', 'msg:read', 'msg:poll',
] as const satisfies readonly OpName[];

type Missing = Exclude<OpName, (typeof OP_CHANNELS)[number]>;
/**
 * Names the missing operations in the error message when one is added to the registry but not here.
 * @public A compile-time check: nothing imports it.
 */
export const OP_CHANNELS_COMPLETE: [Missing] extends [never] ? true : { missing: Missing } = true;

import type { Handlers } from './context';
import { taskHandlers } from './task-handlers';
import { graphHandlers } from './graph-handlers';
import { configHandlers } from './config-handlers';
import { agentHandlers } from './agent-handlers';
import { serviceHandlers } from './service-handlers';
import { remoteHandlers } from './remote-handlers';
import { worktreeHandlers } from './worktree-handlers';
import { agencyHandlers } from './agency-handlers';
import { insightHandlers } from './insight-handlers';
import { flowHandlers } from './flow-handlers';

/** Every operation's implementation; `satisfies` makes a missing one a compile error. */
export const handlers = {
  ...taskHandlers,
  ...graphHandlers,
  ...configHandlers,
  ...agentHandlers,
  ...serviceHandlers,
  ...remoteHandlers,
  ...worktreeHandlers,
  ...agencyHandlers,
  ...insightHandlers,
  ...flowHandlers,
} satisfies Handlers;

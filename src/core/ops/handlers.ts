import type { OpDomain, OpName, opDomains } from '../../shared/ops/registry';
import type { Handlers } from './context';

type DomainOps<D extends OpDomain> = Extract<keyof (typeof opDomains)[D], OpName>;

/**
 * Each domain's handlers, loaded when one of its operations first runs: every agent calls `wg log` and
 * `wg done` often, and those need neither the agency's YAML nor git nor the config writers. The mapped
 * type makes a domain whose module misses one of its operations a compile error.
 */
export const handlerModules: { [D in OpDomain]: () => Promise<Handlers<DomainOps<D>>> } = {
  task: async () => (await import('./task-handlers')).taskHandlers,
  // The evaluation ops share the task handlers' module: a score settles the task's gate.
  evaluation: async () => (await import('./task-handlers')).taskHandlers,
  graph: async () => (await import('./graph-handlers')).graphHandlers,
  config: async () => (await import('./config-handlers')).configHandlers,
  agent: async () => (await import('./agent-handlers')).agentHandlers,
  service: async () => (await import('./service-handlers')).serviceHandlers,
  remote: async () => (await import('./token-handlers')).tokenHandlers,
  worktree: async () => (await import('./worktree-handlers')).worktreeHandlers,
  agency: async () => (await import('./agency-handlers')).agencyHandlers,
  insight: async () => (await import('./insight-handlers')).insightHandlers,
  flow: async () => (await import('./flow-handlers')).flowHandlers,
  message: async () => (await import('./message-handlers')).messageHandlers,
  surgery: async () => (await import('./surgery-handlers')).surgeryHandlers,
  func: async () => (await import('./func-handlers')).funcHandlers,
  loop: async () => (await import('./loop-handlers')).loopHandlers,
  cleanup: async () => (await import('./cleanup-handlers')).cleanupHandlers,
  history: async () => (await import('./history-handlers')).historyHandlers,
  secret: async () => (await import('./secret-handlers')).secretHandlers,
  endpoint: async () => (await import('./endpoint-handlers')).endpointHandlers,
  skill: async () => (await import('./skill-handlers')).skillHandlers,
  chat: async () => (await import('./chat-handlers')).chatHandlers,
  coordination: async () => (await import('./coordination-handlers')).coordinationHandlers,
  recovery: async () => (await import('./recovery-handlers')).recoveryHandlers,
  report: async () => (await import('./report-handlers')).reportHandlers,
};

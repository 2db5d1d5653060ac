import type { z } from 'zod';
import { taskOps } from './domains/task-ops';
import { graphOps } from './domains/graph-ops';
import { configOps } from './domains/config-ops';
import { evaluationOps } from './domains/evaluation-ops';
import { agentOps } from './domains/agent-ops';
import { serviceOps } from './domains/service-ops';
import { tokenOps } from './domains/token-ops';
import { worktreeOps } from './domains/worktree-ops';
import { agencyOps } from './domains/agency-ops';
import { insightOps } from './domains/insight-ops';
import { flowOps } from './domains/flow-ops';
import { messageOps } from './domains/message-ops';
import { surgeryOps } from './domains/surgery-ops';
import { funcOps } from './domains/func-ops';
import { loopOps } from './domains/loop-ops';
import { cleanupOps } from './domains/cleanup-ops';
import { historyOps } from './domains/history-ops';
import { secretOps } from './domains/secret-ops';
import { endpointOps } from './domains/endpoint-ops';
import { skillOps } from './domains/skill-ops';
import { chatOps } from './domains/chat-ops';
import { coordinationOps } from './domains/coordination-ops';
import { recoveryOps } from './domains/recovery-ops';
import { reportOps } from './domains/report-ops';

/** The operations by domain, each domain in its own file under domains/ (its handlers: core/ops/handlers.ts). */
export const opDomains = {
  task: taskOps,
  graph: graphOps,
  config: configOps,
  evaluation: evaluationOps,
  agent: agentOps,
  service: serviceOps,
  remote: tokenOps,
  worktree: worktreeOps,
  agency: agencyOps,
  insight: insightOps,
  flow: flowOps,
  message: messageOps,
  surgery: surgeryOps,
  func: funcOps,
  loop: loopOps,
  cleanup: cleanupOps,
  history: historyOps,
  secret: secretOps,
  endpoint: endpointOps,
  skill: skillOps,
  chat: chatOps,
  coordination: coordinationOps,
  recovery: recoveryOps,
  report: reportOps,
};

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/**
 * Every operation of the app, defined once. The CLI, the HTTP API, the Electron IPC bridge and the
 * renderer's client are all derived from this object; channel names are `domain:verb`.
 */
export const ops = Object.assign({}, ...Object.values(opDomains)) as UnionToIntersection<(typeof opDomains)[keyof typeof opDomains]>;

export type OpDomain = keyof typeof opDomains;
/** The domain an operation is defined in. */
export function domainOf(name: OpName): OpDomain {
  for (const [domain, domainOps] of Object.entries(opDomains)) if (Object.hasOwn(domainOps, name)) return domain as OpDomain;
  throw new Error(`operation ${name} is in no domain`);
}

type Ops = typeof ops;
export type OpName = keyof Ops;
export type OpInput<N extends OpName> = z.input<Ops[N]['input']>;
export type OpParsed<N extends OpName> = z.output<Ops[N]['input']>;
export type OpOutput<N extends OpName> = Ops[N] extends { readonly __output?: infer O } ? O : never;
export const OP_NAMES = Object.keys(ops) as OpName[];

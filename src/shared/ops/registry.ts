import type { z } from 'zod';
import { taskOps } from './domains/task-ops';
import { graphOps } from './domains/graph-ops';
import { configOps } from './domains/config-ops';
import { evaluationOps } from './domains/evaluation-ops';
import { agentOps } from './domains/agent-ops';
import { serviceOps } from './domains/service-ops';
import { remoteOps } from './domains/remote-ops';
import { worktreeOps } from './domains/worktree-ops';
import { agencyOps } from './domains/agency-ops';
import { insightOps } from './domains/insight-ops';
import { flowOps } from './domains/flow-ops';

/**
 * Every operation of the app, defined once (each domain in its own file under domains/). The CLI,
 * the HTTP API, the Electron IPC bridge and the renderer's client are all derived from this object;
 * channel names are `domain:verb`.
 */
export const ops = {
  ...taskOps,
  ...graphOps,
  ...configOps,
  ...evaluationOps,
  ...agentOps,
  ...serviceOps,
  ...remoteOps,
  ...worktreeOps,
  ...agencyOps,
  ...insightOps,
  ...flowOps,
};

export type Ops = typeof ops;
export type OpName = keyof Ops;
export type OpInput<N extends OpName> = z.input<Ops[N]['input']>;
export type OpParsed<N extends OpName> = z.output<Ops[N]['input']>;
export type OpOutput<N extends OpName> = Ops[N] extends { readonly __output?: infer O } ? O : never;
export const OP_NAMES = Object.keys(ops) as OpName[];

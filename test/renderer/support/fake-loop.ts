import { WgError } from '../../../src/shared/errors';
import type { OpOutput, OpParsed } from '../../../src/shared/ops/registry';

/**
 * Graph surgery, reusable plans and the agent's loop in the in-memory workgraph: the window has no
 * page for them yet, so they say so (the real ones are tested against the store and through `wg`).
 */
type LoopOps =
  | 'task:insert'
  | 'task:rescue'
  | 'task:reset'
  | 'func:list'
  | 'func:show'
  | 'func:extract'
  | 'func:apply'
  | 'task:next'
  | 'task:checkpoint'
  | 'task:exec'
  | 'task:execEnd'
  | 'guide:quickstart'
  | 'guide:agentGuide'
  | 'graph:events';

const notHere = (name: string) => () => {
  throw new WgError('unavailable', `the in-memory workgraph has no ${name}`);
};

export const loopHandlers: { [N in LoopOps]: (input: OpParsed<N>) => OpOutput<N> } = {
  'task:insert': notHere('graph surgery'),
  'task:rescue': notHere('graph surgery'),
  'task:reset': notHere('graph surgery'),
  'func:list': () => [],
  'func:show': notHere('functions folder'),
  'func:extract': notHere('functions folder'),
  'func:apply': notHere('functions folder'),
  'task:next': notHere('agency'),
  'task:checkpoint': notHere('run folders'),
  'task:exec': notHere('terminal'),
  'task:execEnd': notHere('terminal'),
  'guide:quickstart': () => ({ text: '', sections: {} }),
  'guide:agentGuide': () => '',
  'graph:events': () => [],
};

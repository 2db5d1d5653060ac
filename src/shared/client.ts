import { OP_NAMES, type OpInput, type OpName, type OpOutput } from './ops/registry';

/** Sends one operation somewhere (IPC, HTTP, in-process) and resolves with its result. */
export type Transport = <N extends OpName>(name: N, input: OpInput<N>) => Promise<OpOutput<N>>;

/** The typed client: one method per operation, named as the operation (`client['task:add']({...})`). */
export type WgClient = { [N in OpName]: (input: OpInput<N>) => Promise<OpOutput<N>> };

export function createClient(transport: Transport): WgClient {
  const client: Partial<Record<OpName, unknown>> = {};
  for (const name of OP_NAMES) client[name] = (input: OpInput<typeof name>) => transport(name, input);
  return client as WgClient;
}

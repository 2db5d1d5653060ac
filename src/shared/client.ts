import type { OpInput, OpName, OpOutput } from './ops/registry';

/** Sends one operation somewhere (IPC, HTTP, in-process) and resolves with its result. */
export type Transport = <N extends OpName>(name: N, input: OpInput<N>) => Promise<OpOutput<N>>;

/** The typed client: one method per operation, named as the operation (`client['task:add']({...})`). */
export type WgClient = { [N in OpName]: (input: OpInput<N>) => Promise<OpOutput<N>> };

type Method = (input: unknown) => Promise<unknown>;

/**
 * Methods are made on first use from the op's name instead of from the registry's list of names:
 * importing the registry at runtime would pull zod and every schema into whatever makes a client
 * (the renderer's startup bundle among them). Only `domain:verb` names are methods, so probes such
 * as `then` (is it a promise?) or `toJSON` see nothing; a name the server does not know fails there.
 */
export function createClient(transport: Transport): WgClient {
  const methods = new Map<string, Method>();
  const send = transport as (name: string, input: unknown) => Promise<unknown>;
  const handler: ProxyHandler<object> = {
    get(_, name) {
      if (typeof name !== 'string' || !name.includes(':')) return undefined;
      let method = methods.get(name);
      if (!method) {
        method = (input) => send(name, input);
        methods.set(name, method);
      }
      return method;
    },
  };
  return new Proxy({}, handler) as WgClient;
}

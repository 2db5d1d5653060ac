import type { OpName, OpOutput } from '../../shared/ops/registry';
import type { Terminal } from '../terminal';

/** The shape every part of the printing shares: one function per operation, by name (index.ts joins the parts). */

/** `input`: what the command was given (some lines name it: `wg blocked ID` says which task). */
export type Formatters = { [N in OpName]?: (result: OpOutput<N>, term: Terminal, input: Readonly<Record<string, unknown>>) => string };

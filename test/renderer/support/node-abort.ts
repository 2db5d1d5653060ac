import { transferableAbortController } from 'node:util';

/**
 * A renderer test that starts processes (git through execa) runs in happy-dom, whose AbortController replaces
 * Node's: execa hands its signal to Node's `events.setMaxListeners`, which refuses any other kind. Node's own
 * classes are put back (util.transferableAbortController makes one of Node's); the page's code under test
 * aborts nothing.
 */
export function useNodeAbortController(): void {
  const node = transferableAbortController();
  globalThis.AbortController = node.constructor as typeof AbortController;
  globalThis.AbortSignal = node.signal.constructor as typeof AbortSignal;
}

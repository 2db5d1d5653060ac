import { layoutComponent } from './elk-layout';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';
import { loadElk } from './load-elk';

// The DOM lib has no worker-scope type; this is the part of it the worker uses.
interface WorkerScope {
  onmessage: ((message: MessageEvent) => void) | null;
  addEventListener(type: 'message', listener: (message: MessageEvent<LayoutRequest>) => void): void;
  postMessage(message: LayoutResponse): void;
}

// ELK runs here so the window stays responsive while it works.
const scope = self as unknown as WorkerScope;

// Loaded in a worker, ELK's bundle makes itself a worker of its own protocol: it sets
// self.onmessage. Our handler is a listener, which that does not replace; theirs is removed.
const elk = loadElk().then((instance) => {
  scope.onmessage = null;
  return instance;
});

scope.addEventListener('message', (message) => {
  const { id, component } = message.data;
  elk
    .then((instance) => layoutComponent(instance, component))
    .then(
      (layout) => scope.postMessage({ id, layout }),
      (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
    );
});

// A small layout while the graph is still loading: ELK's first run in a fresh worker is several
// times slower than later ones (its code is not compiled yet), and the first real one is the one
// the user waits for.
void elk.then((instance) =>
  layoutComponent(instance, {
    nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id, width: 240, height: 92 })),
    edges: [{ source: 'a', target: 'b' }, { source: 'a', target: 'c' }, { source: 'b', target: 'd' }, { source: 'c', target: 'd' }],
  }),
);

import { needsElk } from './choose-layout';
import { layoutComponent } from './elk-layout';
import { layeredLayout } from './layered-layout';
import { packLayout, transferables, type LayoutRequest, type LayoutResponse } from './layout-protocol';
import type { Component } from './connected-components';
import type { ComponentLayout } from './elk-layout';
import { fromPrevious } from './from-previous';
import { keepLayout } from './layout-store';
import { loadElk } from './load-elk';
import { errorText } from '../../../shared/errors';

// The DOM lib has no worker-scope type; this is the part of it the worker uses.
interface WorkerScope {
  onmessage: ((message: MessageEvent) => void) | null;
  addEventListener(type: 'message', listener: (message: MessageEvent<LayoutRequest>) => void): void;
  postMessage(message: LayoutResponse, transfer?: ArrayBuffer[]): void;
}

// Layouts run here so the window stays responsive while they work.
const scope = self as unknown as WorkerScope;

/**
 * Answers with the layout packed into arrays whose buffers move to the window (see PackedLayout),
 * and keeps it for the next session (here, not on the window's thread).
 */
const answer = (id: number, key: string, component: Component, layout: ComponentLayout) => {
  const packed = packLayout(component, layout);
  scope.postMessage({ id, layout: packed }, transferables(packed));
  keepLayout(key, layout);
};

// Loaded in a worker, ELK's bundle makes itself a worker of its own protocol: it sets
// self.onmessage. Our handler is a listener, which that does not replace; theirs is removed.
const elk = loadElk().then((instance) => {
  scope.onmessage = null;
  return instance;
});

// One layout at a time, each answered as soon as it is done. Handed to ELK all at once, they
// would all be answered at the end: ELK queues its answers behind the work already queued.
let queue: Promise<unknown> = Promise.resolve();
let asked = false;
// Ends the warm-up's wait below at the first request, so that request does not sit behind it.
let firstRequest: () => void = () => undefined;
const askedOnce = new Promise<void>((resolve) => {
  firstRequest = resolve;
});
scope.addEventListener('message', (message) => {
  const { id, key, component: sent, previous } = message.data;
  let component = sent;
  try {
    // A big component edited: kept as it is on screen where the edit allows, else laid out again in its order there.
    if (previous) {
      const kept = fromPrevious(sent, previous);
      if ('layout' in kept) {
        answer(id, key, sent, kept.layout);
        return;
      }
      component = kept.ordered;
    }
    // A big component needs no ELK: laid out at once, not queued behind ELK's loading.
    if (!needsElk(component)) {
      answer(id, key, sent, layeredLayout(component));
      return;
    }
  } catch (error) {
    scope.postMessage({ id, error: errorText(error) });
    return;
  }
  asked = true;
  firstRequest();
  queue = queue
    .then(() => elk)
    .then((instance) => layoutComponent(instance, component))
    .then(
      (layout) => answer(id, key, sent, layout),
      (error: unknown) => scope.postMessage({ id, error: errorText(error) }),
    );
});

// A layout while the graph is still loading: ELK's first run in a fresh worker is several times
// slower than later ones (its code is not compiled yet), and the first real one is the one the
// user waits for. Only when no real one has arrived by the time ELK is loaded: measured on a
// 10,000-task first view, a warm-up run first delayed the first real layout by 400 ms.
// Loading ELK is one long task, and requests posted meanwhile are dispatched only after it: the
// worker waits a moment for them before deciding. Without that wait the 2,000-task first view
// ran the warm-up every time, its requests queued behind it (300-600 ms, traced). A request
// that comes during the wait ends it.
const DISPATCH_WAIT_MS = 30;
queue = elk
  .then(async (instance) => {
    await Promise.race([askedOnce, new Promise((resolve) => setTimeout(resolve, DISPATCH_WAIT_MS))]);
    if (!asked) await layoutComponent(instance, warmUpGraph(40));
  })
  .catch(() => undefined);

/** A tree of `count` cards with a few cross-links, big enough to take ELK's fast settings. */
function warmUpGraph(count: number) {
  const nodes = Array.from({ length: count }, (_, i) => ({ id: `w${i}`, width: 232, height: 96 }));
  const edges = nodes.slice(1).map((node, i) => ({ source: `w${Math.floor(i / 2)}`, target: node.id }));
  for (let i = 7; i < count; i += 7) edges.push({ source: `w${i - 3}`, target: `w${i}` });
  return { nodes, edges };
}

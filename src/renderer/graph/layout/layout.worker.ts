import { layeredLayout } from './layered-layout';
import { packLayout, transferables, type LayoutRequest, type LayoutResponse } from './layout-protocol';
import type { Component } from './connected-components';
import type { ComponentLayout } from './layout-types';
import { fromPrevious } from './from-previous';
import { keepLayout } from './layout-store';
import { errorText } from '../../../shared/errors';

// The DOM lib has no worker-scope type; this is the part of it the worker uses.
interface WorkerScope {
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

// One layout per message, answered as soon as it is done.
scope.addEventListener('message', (message) => {
  const { id, key, component: sent, previous } = message.data;
  try {
    // An edited component: kept as it is on screen where the edit allows, else laid out again in its order there.
    const kept = previous ? fromPrevious(sent, previous) : { ordered: sent };
    answer(id, key, sent, 'layout' in kept ? kept.layout : layeredLayout(kept.ordered));
  } catch (error) {
    scope.postMessage({ id, error: errorText(error) });
  }
});

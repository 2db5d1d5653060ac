import { errorText } from '../../../shared/errors';
import { fromPrevious } from './from-previous';
import { HeldComponents } from './held-components';
import { layeredLayout } from './layered-layout';
import { packLayout, transferables, unpackPrevious, type LayoutRequest, type LayoutResponse } from './layout-protocol';
import { alignedCorner } from './derive-layout';
import { keepLayout } from './layout-store';
import { receivedChange } from './posted-change';

/**
 * What a layout worker does with one request: the component from the change of what it holds, its
 * layout (an edited component kept as it is on screen where the edit allows, else laid out again in
 * its order there), packed into arrays whose buffers move to the window; the layout is kept for the
 * next session (here, not on the window's thread).
 */
async function serveLayout(held: HeldComponents, request: LayoutRequest): Promise<[LayoutResponse, ArrayBuffer[]]> {
  try {
    const component = await held.apply(receivedChange(request.change));
    const picture = request.previous ? unpackPrevious(component, request.previous) : null;
    const kept = picture ? fromPrevious(component, picture) : { ordered: component };
    const layout = 'layout' in kept ? kept.layout : layeredLayout(kept.ordered);
    const packed = packLayout(component, layout);
    const corner = picture ? alignedCorner(layout, picture.position) : null;
    if (corner) packed.corner = corner;
    keepLayout(request.change.key, layout);
    return [{ id: request.id, layout: packed }, transferables(packed)];
  } catch (error) {
    return [{ id: request.id, error: errorText(error) }, []];
  }
}

/**
 * Requests taken one at a time, in the order sent: a change names components held by the requests
 * before it.
 */
export function layoutServer(held: HeldComponents, answer: (response: LayoutResponse, transfer: ArrayBuffer[]) => void) {
  let queue: Promise<unknown> = Promise.resolve();
  return (request: LayoutRequest) => {
    queue = queue.then(async () => {
      const [response, transfer] = await serveLayout(held, request);
      answer(response, transfer);
    });
  };
}

/** Where there are no workers (tests): the same server on this thread, answering as a worker would (in a later task). */
export function inThreadWorker(): Worker {
  const worker = {
    onmessage: null as ((message: MessageEvent<LayoutResponse>) => void) | null,
    onerror: null,
    postMessage(request: LayoutRequest) {
      serve(request);
    },
    terminate() {},
  };
  const serve = layoutServer(new HeldComponents(), (response) =>
    setTimeout(() => worker.onmessage?.(new MessageEvent('message', { data: response })), 0),
  );
  return worker as unknown as Worker;
}

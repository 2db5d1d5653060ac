import { HeldComponents } from './held-components';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';
import { layoutServer } from './serve-layout';
import { warmLocale } from '../../scheduling/warm-locale';

// The DOM lib has no worker-scope type; this is the part of it the worker uses.
interface WorkerScope {
  addEventListener(type: 'message', listener: (message: MessageEvent<LayoutRequest>) => void): void;
  postMessage(message: LayoutResponse, transfer?: ArrayBuffer[]): void;
}

// Layouts run here so the window stays responsive while they work.
const scope = self as unknown as WorkerScope;

// The components this worker was sent, kept: each request tells only what changed.
const serve = layoutServer(new HeldComponents(), (response, transfer) => scope.postMessage(response, transfer));

scope.addEventListener('message', (message) => serve(message.data));

// Off the page's thread, while the page waits for the graph: the locale's data, loaded for the process (warm-locale.ts).
warmLocale();

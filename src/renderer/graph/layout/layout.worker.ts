import { layoutComponent } from './dagre-layout';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

// The DOM lib has no worker-scope type; this is the part of it the worker uses.
interface WorkerScope {
  onmessage: ((message: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResponse): void;
}

// Dagre runs here for big graphs so the window stays responsive while it works.
const scope = self as unknown as WorkerScope;

scope.onmessage = (message) => {
  const { id, fast, components } = message.data;
  let response: LayoutResponse;
  try {
    response = { id, layouts: components.map((component) => layoutComponent(component, fast)) };
  } catch (error) {
    response = { id, error: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(response);
};

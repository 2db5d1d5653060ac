import { createLayoutRunner, type LayoutRunner } from '../../../src/renderer/graph/layout/layout-runner';
import { inThreadWorker } from '../../../src/renderer/graph/layout/serve-layout';

/** A layout runner with one worker on this thread (the window's own layout server), each request posted to it kept in `sent`. */
export function countedRunner(sent: unknown[]): LayoutRunner {
  return createLayoutRunner(() => {
    const worker = inThreadWorker();
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (request: unknown) => {
      sent.push(request);
      post(request);
    };
    return worker;
  }, 1);
}

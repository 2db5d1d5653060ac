import type { Backend } from '../../../src/renderer/api/backend';
import { FakeWorkgraph } from './fake-workgraph';

/** A renderer Backend wired straight to a FakeWorkgraph, as the IPC bridge would be. */
export function fakeBackend(fake: FakeWorkgraph = new FakeWorkgraph()): { fake: FakeWorkgraph; backend: Backend } {
  return {
    fake,
    backend: {
      client: fake.client,
      events: { onChange: (listener) => fake.onChange(listener), onOutput: (listener) => fake.onOutput(listener) },
      label: 'fake',
    },
  };
}

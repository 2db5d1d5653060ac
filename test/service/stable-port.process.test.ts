import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject } from './helpers/daemon-project';

/**
 * A coordinator started with no port comes back at the address it had: a browser tab open on the window (its token in
 * the address) keeps working across `wg service stop` and `wg service start`; a port taken meanwhile is let go.
 */
const p = new DaemonProject('wg-port-');
let blocker: Server | null = null;
beforeAll(async () => {
  await p.init();
});
afterAll(async () => {
  blocker?.close();
  await p.ok(['service', 'stop']).catch(() => undefined);
  await p.remove();
});

const portOf = (url: string | null | undefined) => Number(new URL(url ?? '').port);

describe('wg service start without a port', () => {
  it('takes the port it had last time, and any free one when another program holds that', async () => {
    const first = await p.start();
    const port = portOf(first.url);
    await p.ok(['service', 'stop']);

    const again = await p.start();
    expect(again.url).toBe(first.url);
    await p.ok(['service', 'stop']);

    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
    const elsewhere = await p.start();
    expect(portOf(elsewhere.url)).not.toBe(port);
    expect(elsewhere.running).toBe(true);
    await p.ok(['service', 'stop']);
    await new Promise<void>((resolve) => blocker?.close(() => resolve()));
    blocker = null;

    // The last one it had is the one it keeps.
    expect(portOf((await p.start()).url)).toBe(portOf(elsewhere.url));
  });
});

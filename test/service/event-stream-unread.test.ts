import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStream, MAX_UNSENT_BYTES } from '../../src/core/service/http/event-stream';

/**
 * A window's event stream whose client stopped reading (a hung window, a peer that left its connection open): the
 * coordinator kept every later event for it in memory, for as long as it ran (a day of a busy project, megabytes a
 * client). A stream holding more than MAX_UNSENT_BYTES unsent is dropped; a stream that reads keeps its events.
 */
let server: Server | undefined;
let client: Socket | undefined;

afterEach(async () => {
  client?.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

/** An event stream served to a raw socket that sends its request and then never reads. */
async function unreadStream(): Promise<{ events: EventStream; res: ServerResponse }> {
  const events = new EventStream();
  const opened = new Promise<ServerResponse>((resolve) => {
    server = createServer((_req, res) => {
      events.add(res, 1);
      resolve(res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server?.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  client = connect({ port: address.port, host: '127.0.0.1' });
  client.pause();
  client.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  return { events, res: await opened };
}

describe('an event stream nobody reads', () => {
  it('is dropped once it holds more than MAX_UNSENT_BYTES unsent, instead of growing for ever', async () => {
    const { events, res } = await unreadStream();
    // Far more than the kernel's socket buffers and the cap together: a busy day's output events.
    for (let total = 1; total <= 200_000 && !res.destroyed; total++) events.output({ agent_id: 'agent-1', total });
    await expect.poll(() => res.destroyed).toBe(true);
    expect(res.writableLength).toBeLessThanOrEqual(MAX_UNSENT_BYTES + 200);
  });

  it('keeps a stream that reads: every event reaches it', async () => {
    const { events, res } = await unreadStream();
    let received = '';
    client?.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    client?.resume();
    for (let total = 1; total <= 1_000; total++) events.output({ agent_id: 'agent-1', total });
    await expect.poll(() => received.includes('"total":1000}')).toBe(true);
    expect(res.destroyed).toBe(false);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApiServer } from '../../src/core/service/http/api-server';
import type { ApiHandlers } from '../../src/core/service/http/routes';

/** `wg service start --listen` on an address it cannot have: one line in a person's words, not the system's code. */
describe("the coordinator's API on an address it cannot listen on", () => {
  it('says the port is in use, and which', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'wg-listen-'));
    try {
      // Nothing is asked of the handlers: the listen fails first.
      const handlers = {} as ApiHandlers;
      await expect(startApiServer(handlers, join(dir, 'api.sock'), { host: '127.0.0.1', port, loopback: true, tls: null })).rejects.toThrow(
        `127.0.0.1:${port} is already in use by another program; choose another port with --listen`,
      );
    } finally {
      busy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

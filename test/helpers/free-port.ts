import { createServer, type AddressInfo } from 'node:net';

/** A port on 127.0.0.1 free now, for a coordinator that must listen on the same address at each restart. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Node 20 reads and parses every certificate of the file NODE_EXTRA_CA_CERTS names when a process starts, before
 * any code runs (nodejs/node#40524; Node 22 loads them when TLS is first used). Some machines set it system-wide
 * (these do, naming Debian's 144-certificate bundle): there every Node 20 start costs 31 ms more CPU (`node -e 0`:
 * 51.6 against 20.6 ms). A ratio to `node -e 0` would then hide `wg`'s own cost inside that fixed sum, so the
 * measured processes run without it: it says nothing about `wg`, and `wg` uses no TLS.
 * Returns the line a bench prints when it left the variable out.
 */
export function leaveOutMachineCertificates(): string | null {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return null;
  delete process.env.NODE_EXTRA_CA_CERTS;
  return `NODE_EXTRA_CA_CERTS (${file}) left out of the measured processes: Node 20 loads it at every start (test/bench/machine-certificates.ts)`;
}

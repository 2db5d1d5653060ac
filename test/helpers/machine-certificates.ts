/**
 * Node 20 reads and parses every certificate of the file NODE_EXTRA_CA_CERTS names when a process starts, before
 * any code runs (nodejs/node#40524; Node 22 loads them when TLS is first used). Some machines set it system-wide
 * (these do, naming Debian's 144-certificate bundle): there every Node 20 start costs 31 ms more CPU (`node -e 0`:
 * 51.6 against 20.6 ms). The test suite and the start benches run their processes without it: it says nothing
 * about `wg`, which uses no TLS, and in a bench's ratio to `node -e 0` it would hide `wg`'s own cost inside that
 * fixed sum. Returns the line a bench prints when it left the variable out.
 */
export function leaveOutMachineCertificates(): string | null {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return null;
  delete process.env.NODE_EXTRA_CA_CERTS;
  return `NODE_EXTRA_CA_CERTS (${file}) left out of the measured processes: Node 20 loads it at every start (test/helpers/machine-certificates.ts)`;
}

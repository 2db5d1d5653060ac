import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { invalid } from '../../shared/errors';
import { whyUnreadable } from '../../shared/plain-failure';

/** One PEM certificate block; a CA file may hold several (a chain, or more than one authority). */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g;

/**
 * A CA file a setting names (WG_CA_CERT, WG_COORDINATOR_CA), read and checked now, or one line naming the setting. A
 * file that holds no certificate is refused too: TLS would take it and every connection would then fail on the
 * coordinator's certificate, far from the cause.
 */
export function readCaFile(file: string, setting: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(`${setting}: cannot read the CA file ${file}: ${whyUnreadable(error)}`);
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw invalid(`${setting}: the CA file ${file} is not a PEM certificate (-----BEGIN CERTIFICATE----- …)`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      // OpenSSL's own words ("asn1 encoding routines::wrong tag") tell a person nothing.
      throw invalid(`${setting}: the CA file ${file} holds a certificate that cannot be read (damaged or cut short)`);
    }
  }
  return text;
}

/**
 * The certificate authorities to trust with a CA file: the system's and the file's. TLS's `ca` replaces the system's
 * list, so a file given alone would make every publicly signed coordinator untrusted.
 */
export function withSystemAuthorities(caFile: string): string[] {
  return [...rootCertificates, caFile];
}

/**
 * The certificate authorities to trust: the system's, plus WG_CA_CERT (a coordinator's self-signed
 * certificate, or a team's own authority) when set. Without it Node's own store is used, which
 * NODE_EXTRA_CA_CERTS extends as it does for the window.
 */
export function trustedAuthorities(env: NodeJS.ProcessEnv): string[] | undefined {
  const file = env.WG_CA_CERT?.trim();
  return file ? withSystemAuthorities(readCaFile(file, 'WG_CA_CERT')) : undefined;
}

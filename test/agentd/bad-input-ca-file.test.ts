import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentdConfig } from '../../src/agentd/config';
import { CoordinatorConnection } from '../../src/agentd/connection';
import type { AgentdLog } from '../../src/agentd/agentd-log';
import { TempProject } from '../helpers/wg-cli';

/** A self-signed certificate made once with openssl for this test (CN=wg-test-ca); only parsed, never trusted for anything. */
const CERT = `-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIUJLiCpbtKANpEL1h3j+mUj4zzWsowCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKd2ctdGVzdC1jYTAgFw0yNjExMjYwNzEzMzFaGA8yMTI2MTEw
MjA3MTMzMVowFTETMBEGA1UEAwwKd2ctdGVzdC1jYTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABI5xUNgR9vH2fpsunooqdY1KqKddHkoIsRoPardD6cVoSnZULO4n
I3s9JMrzSb59MhEBfBlE4UBHX+kUyOFJYkujUzBRMB0GA1UdDgQWBBTIeo+a4xPS
R7mwE71AilcU08cG+zAfBgNVHSMEGDAWgBTIeo+a4xPSR7mwE71AilcU08cG+zAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDBZstpsQxqTu5EQPoh
B8JK5dmjlP/Xl6a1dBKSI3SABgIgO+qUrz2G3e/mU0cdamouu1/DuBENcpHq8L2U
UOGgvLk=
-----END CERTIFICATE-----
`;

const dir = mkdtempSync(join(tmpdir(), 'wg-ca-file-'));
const p = new TempProject('wg-ca-file-cli-');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  p.remove();
});
const env = { WG_COORDINATOR_URL: 'http://127.0.0.1:1', WG_AGENT_TOKEN: 'wga_x', REPO_PATHS: dir };
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('the agent daemon CA file (--ca, WG_COORDINATOR_CA)', () => {
  it('is read and checked at start: one line naming it as the CA file, for each way it can be wrong', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const cases: Array<[string, string]> = [
      [join(dir, 'nonexist'), `WG_COORDINATOR_CA: cannot read the CA file ${join(dir, 'nonexist')}: no such file or folder`],
      [folder, `WG_COORDINATOR_CA: cannot read the CA file ${folder}: a folder, not a file`],
      [
        file('key.txt', 'not a certificate\n'),
        `WG_COORDINATOR_CA: the CA file ${join(dir, 'key.txt')} is not a PEM certificate (-----BEGIN CERTIFICATE----- …)`,
      ],
      [
        file('cut.pem', '-----BEGIN CERTIFICATE-----\nMIIBgTCCASegAwIBAgIU\n-----END CERTIFICATE-----\n'),
        `WG_COORDINATOR_CA: the CA file ${join(dir, 'cut.pem')} holds a certificate that cannot be read (damaged or cut short)`,
      ],
    ];
    for (const [ca, said] of cases) {
      expect(() => loadAgentdConfig({ ca }, env), ca).toThrow(said);
      expect(() => loadAgentdConfig({}, { ...env, WG_COORDINATOR_CA: ca }), ca).toThrow(said);
    }
  });

  it('wg agentd run refuses a missing CA file in one line and a nonzero exit, before the daemon starts', async () => {
    const missing = join(dir, 'nonexist');
    const result = await p.wg(['agentd', 'run', '--url', 'http://127.0.0.1:1', '--token', 'wga_x', '--repo-paths', dir, '--ca', missing]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe(`wg: WG_COORDINATOR_CA: cannot read the CA file ${missing}: no such file or folder`);
  });

  it('a good one is kept as read: deleted afterwards, connecting again still works without reading it', () => {
    const ca = file('ca.pem', CERT);
    const config = loadAgentdConfig({ ca }, env);
    expect(config.ca?.at(-1)).toBe(CERT);
    rmSync(ca);
    const quiet: AgentdLog = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
    const connection = new CoordinatorConnection(
      { urls: config.urls, token: config.token, version: 'test', ca: config.ca, host: 'h', log: quiet },
      {
        register: () => {
          throw new Error('not reached: nothing answers at 127.0.0.1:1');
        },
        message: () => {},
        running: () => [],
        fatal: () => {},
        disconnected: () => {},
      },
    );
    // Each connect (the first and every reconnect) builds its TLS options; before, each read the file again.
    expect(() => connection.start()).not.toThrow();
    connection.close();
  });
});

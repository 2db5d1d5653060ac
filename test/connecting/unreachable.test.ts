import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trustedAuthorities } from '../../src/core/connecting/ca-file';
import { unreachable } from '../../src/core/connecting/server-client';
import { dispatch } from '../../src/core/ops/dispatch';
import type { ProjectPaths } from '../../src/core/project';
import { tempStore } from '../helpers/temp-store';

/** Why a coordinator was not reached, and a copy that cannot be made: in a person's words, never the library's. */
describe('a coordinator not reached over TLS', () => {
  const saved = process.env.WG_CA_CERT;
  afterEach(() => {
    if (saved === undefined) delete process.env.WG_CA_CERT;
    else process.env.WG_CA_CERT = saved;
  });

  const tlsError = (code: string, cert?: { subjectaltname: string }) =>
    Object.assign(new Error('tls'), { code, ...(cert ? { cert } : {}) });

  it('says a certificate for another name is that, with the names it has, whether or not WG_CA_CERT is set', () => {
    process.env.WG_CA_CERT = '/tmp/ca.pem';
    expect(unreachable(tlsError('ERR_TLS_CERT_ALTNAME_INVALID', { subjectaltname: 'DNS:vm, DNS:localhost, IP Address:127.0.0.1' }))).toBe(
      'its certificate is for another name (it names vm, localhost, 127.0.0.1): reach it by a name its certificate names',
    );
  });

  it('does not advise setting WG_CA_CERT where it is set', () => {
    delete process.env.WG_CA_CERT;
    expect(unreachable(tlsError('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe(
      'its certificate is not one this computer trusts (set WG_CA_CERT to its certificate file)',
    );
    process.env.WG_CA_CERT = '/tmp/ca.pem';
    expect(unreachable(tlsError('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe(
      'its certificate is not one this computer trusts, nor signed by the one in WG_CA_CERT',
    );
  });

  it('names why WG_CA_CERT cannot be read in words, not an errno code', () => {
    expect(() => trustedAuthorities({ WG_CA_CERT: '/nowhere/ca.pem' })).toThrow(
      'WG_CA_CERT: cannot read the CA file /nowhere/ca.pem: no such file or folder',
    );
  });
});

describe('wg store copy to a file whose folder does not exist', () => {
  it('says so in one line and makes nothing', async () => {
    const temp = await tempStore();
    const root = mkdtempSync(join(tmpdir(), 'wg-copy-nowhere-'));
    try {
      const to = join(root, 'missing', 'copy.db');
      const paths = {
        dir: temp.dir,
        root: temp.dir,
        config: join(temp.dir, 'config.toml'),
        globalConfig: join(temp.dir, 'global-config.toml'),
        serviceDir: join(temp.dir, 'service'),
        stateFile: join(temp.dir, 'service', 'state.json'),
      } as ProjectPaths;
      await expect(dispatch('graph:copy', { to }, { store: temp.store, paths, actor: 'user' })).rejects.toThrow(
        `cannot make ${to}: its folder ${join(root, 'missing')} does not exist`,
      );
      // A folder given as the file: the caller's mistake (400 over HTTP), not an unusable database of the project (503).
      await expect(dispatch('graph:copy', { to: root }, { store: temp.store, paths, actor: 'user' })).rejects.toMatchObject({
        message: `cannot copy to ${root}: it is a folder, not a file`,
        httpStatus: 400,
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
      await temp.dispose();
    }
  });
});

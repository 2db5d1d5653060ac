import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backendStatus, checkSecretName, parseBackend } from '../../src/core/secrets/secret-store';
import { wgInProcess } from '../helpers/wg-cli';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg secret` against upstream's cases (graphwork/workgraph src/secret.rs `mod tests`, and the words of
 * src/commands/secret_cmd.rs), each named in its `it`. The person's global folder is the project's WG_HOME here.
 *
 * Upstream's `keyring` backend is the OS keyring, which this app does not reach: every keyring case runs as
 * upstream's own does where the OS keyring is unreachable (its CI), through the file keystore.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-secret-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const allowPlaintext = () => {
  mkdirSync(p.home, { recursive: true });
  writeFileSync(join(p.home, 'config.toml'), '[secrets]\nallow_plaintext = true\n');
};
/** `wg secret set ARGS --from-stdin` with `value` on its standard input. */
const setFromStdin = (args: string[], value: string, more: string[] = []) =>
  wgInProcess(['--dir', p.root, 'secret', 'set', ...args, '--from-stdin', ...more], {
    cwd: p.root,
    env: { WG_HOME: p.home, WG_DIR: '', WG_AGENT_ID: '', WG_RUN_ID: '', WG_AGENTD_RELAY: '' },
    input: value,
  });

describe('wg secret (upstream secret.rs, secret_cmd.rs)', () => {
  it('test_keystore_set_get_delete: set, get, rm, list; rm of what is gone says so', async () => {
    await p.ok(['secret', 'set', 'testkey', '--value', 'sk-abc123', '--backend', 'keystore']);
    expect(await p.json<{ found: boolean; masked: string }>(['secret', 'get', 'testkey', '--backend', 'keystore'])).toMatchObject({
      found: true,
      masked: '****',
    });
    expect((await p.ok(['secret', 'get', 'testkey', '--backend', 'keystore', '--reveal'])).trim()).toBe('sk-abc123');
    expect(await p.ok(['secret', 'list'])).toContain('keystore:testkey');
    expect(await p.ok(['secret', 'rm', 'testkey', '--backend', 'keystore', '--yes'])).toContain(
      "Secret 'testkey' deleted from keystore backend.",
    );
    expect(await p.ok(['secret', 'get', 'testkey', '--backend', 'keystore'])).toContain("Secret 'testkey' not found in keystore backend.");
    expect(await p.ok(['secret', 'rm', 'testkey', '--backend', 'keystore', '-y'])).toContain("Secret 'testkey' not found");
    expect(await p.json<string[]>(['secret', 'list'])).toEqual([]);
  });

  it('test_set_get_delete_via_keystore_backend: a file of mode 0600 in a folder of 0700, as upstream writes them', async () => {
    await p.ok(['secret', 'set', 'explicit', '--value', 'value-1', '--backend', 'keystore']);
    expect(statSync(join(p.home, 'keystore', 'explicit')).mode & 0o777).toBe(0o600);
    expect(statSync(join(p.home, 'keystore')).mode & 0o777).toBe(0o700);
  });

  it('never prints a value unless --reveal asks: the masked preview, in words and in --json', async () => {
    const set = await setFromStdin(['openrouter', '--backend', 'keystore'], 'sk-or-v1-0123456789abcdef\n');
    expect(set.exitCode).toBe(0);
    expect(set.stdout + set.stderr).not.toContain('0123456789');
    const shown = await p.wg(['secret', 'get', 'openrouter', '--backend', 'keystore']);
    expect(shown.stdout).toContain("Secret 'openrouter' exists: sk-o****...cdef (use --reveal to show full value)");
    expect(shown.stdout + shown.stderr).not.toContain('0123456789');
    const json = await p.json<Record<string, unknown>>(['secret', 'get', 'openrouter', '--backend', 'keystore']);
    expect(json).not.toHaveProperty('value');
    expect(JSON.stringify(json)).not.toContain('0123456789');
    expect(JSON.stringify(await p.json(['secret', 'list']))).not.toContain('0123456789');
    const revealed = await p.wg(['secret', 'get', 'openrouter', '--backend', 'keystore', '--reveal']);
    expect(revealed.stdout.trim()).toBe('sk-or-v1-0123456789abcdef');
    expect(revealed.stderr).toContain('displaying secret value');
  });

  it('--value warns that the shell keeps it; --value and --from-stdin together are refused; neither is refused', async () => {
    const byFlag = await p.wg(['secret', 'set', 'a', '--value', 'v', '--backend', 'keystore']);
    expect(byFlag.stderr).toContain('--value flag may expose them in shell history');
    const both = await setFromStdin(['b'], 'w', ['--value', 'v']);
    expect(both.exitCode).not.toBe(0);
    const neither = await p.wg(['secret', 'set', 'c']);
    expect(neither.exitCode).toBe(1);
    expect(neither.stderr.trim().split('\n')).toHaveLength(1);
    expect(await p.json<string[]>(['secret', 'list'])).toEqual(['keystore:a']);
  });

  it('test_plaintext_set_get_list_delete (allow_plaintext = true in the global config.toml)', async () => {
    allowPlaintext();
    await p.ok(['secret', 'set', 'mykey', '--value', 'sk-test-value', '--backend', 'plaintext']);
    expect(statSync(join(p.home, 'secrets', 'mykey')).mode & 0o777).toBe(0o600);
    expect((await p.ok(['secret', 'get', 'mykey', '--backend', 'plain', '--reveal'])).trim()).toBe('sk-test-value');
    expect(await p.json<string[]>(['secret', 'list'])).toEqual(['plain:mykey']);
    expect((await p.json<{ deleted: boolean }>(['secret', 'rm', 'mykey', '--backend', 'plaintext', '--yes'])).deleted).toBe(true);
    expect((await p.json<{ deleted: boolean }>(['secret', 'rm', 'mykey', '--backend', 'plaintext', '--yes'])).deleted).toBe(false);
  });

  it('test_plaintext_disabled_by_default: refused in one line, nothing written', async () => {
    const r = await p.wg(['secret', 'set', 'key', '--value', 'val', '--backend', 'plaintext']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('allow_plaintext')]);
    expect(await p.json<string[]>(['secret', 'list'])).toEqual([]);
  });

  it('test_resolve_ref_literal / test_resolve_ref_env / test_resolve_ref_env_missing', async () => {
    expect((await p.json<{ reachable: boolean }>(['secret', 'check', 'literal:test-key'])).reachable).toBe(true);
    expect(
      (await p.json<{ reachable: boolean }>(['secret', 'check', 'env:WG_TEST_SECRET_VAR_XYZ'], { WG_TEST_SECRET_VAR_XYZ: 'env-value' }))
        .reachable,
    ).toBe(true);
    expect((await p.json<{ reachable: boolean }>(['secret', 'check', 'env:WG_NONEXISTENT_VAR_12345'])).reachable).toBe(false);
  });

  it('test_resolve_ref_keystore / test_resolve_ref_keyring_falls_back_to_keystore', async () => {
    await p.ok(['secret', 'set', 'myapikey', '--value', 'sk-12345', '--backend', 'keystore']);
    expect(await p.ok(['secret', 'check', 'keystore:myapikey'])).toContain("Secret ref 'keystore:myapikey' is reachable.");
    await p.ok(['secret', 'set', 'legacy', '--value', 'sk-legacy-value', '--backend', 'keystore']);
    expect((await p.json<{ reachable: boolean }>(['secret', 'check', 'keyring:legacy'])).reachable).toBe(true);
    // The default backend (keyring) reads and writes the keystore, and says so.
    const viaKeyring = await p.wg(['secret', 'get', 'legacy', '--reveal']);
    expect(viaKeyring.stdout.trim()).toBe('sk-legacy-value');
    expect(viaKeyring.stderr).toContain('falling back to file keystore');
  });

  it('test_resolve_ref_plain / test_check_ref_reachable_missing', async () => {
    allowPlaintext();
    await p.ok(['secret', 'set', 'myapikey', '--value', 'sk-plain', '--backend', 'plaintext']);
    expect((await p.json<{ reachable: boolean }>(['secret', 'check', 'plain:myapikey'])).reachable).toBe(true);
    const missing = await p.ok(['secret', 'check', 'plain:no-such-key']);
    expect(missing).toContain("Secret ref 'plain:no-such-key' is NOT reachable (not found).");
    expect(missing).toContain('Run: wg secret set no-such-key --backend plaintext');
  });

  it('test_resolve_ref_unknown_scheme: one line, nonzero exit', async () => {
    const r = await p.wg(['secret', 'check', 'fakescheme:something']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('Unknown api_key_ref scheme')]);
  });

  it('test_secret_name_rejects_path_traversal / test_secret_name_rejects_slash: nothing written outside the keystore', async () => {
    expect(() => checkSecretName('../../etc/passwd')).toThrow(/invalid characters/);
    expect(() => checkSecretName('subdir/key')).toThrow(/invalid characters/);
    const r = await p.wg(['secret', 'set', '../escape', '--value', 'v', '--backend', 'keystore']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe("wg: Secret name '../escape' contains invalid characters");
  });

  it('test_backend_parse_includes_keystore', () => {
    expect(parseBackend('keystore')).toBe('keystore');
    expect(parseBackend('keyring')).toBe('keyring');
    expect(parseBackend('plaintext')).toBe('plaintext');
    expect(parseBackend('plain')).toBe('plaintext');
    expect(() => parseBackend('nonsense')).toThrow(/Unknown backend 'nonsense'/);
  });

  it('test_backend_status_mentions_all_backends, and backend set (refused for plaintext while it is not allowed)', async () => {
    const status = backendStatus({ allow_plaintext: false, default_backend: 'keyring' });
    expect(status).toContain('Keyring');
    expect(status).toContain('Keystore');
    expect(status).not.toContain('Default backend: keyring (secure file store');
    expect((await p.wg(['secret', 'backend', 'set', 'plaintext'])).exitCode).toBe(1);
    expect(await p.ok(['secret', 'backend', 'set', 'keystore'])).toContain('Default secret backend set to: keystore');
    expect(await p.ok(['secret', 'backend', 'show'])).toContain('Default backend: keystore');
    await p.ok(['secret', 'set', 'k', '--value', 'v']);
    expect(await p.json<{ backend: string }>(['secret', 'get', 'k'])).toMatchObject({ backend: 'keystore', found: true });
  });

  it("least authority: an agent's run may not use the credential store, not even to list names", async () => {
    await p.ok(['secret', 'set', 'k', '--value', 'sk-secret-value', '--backend', 'keystore']);
    const asRun = { WG_AGENT_ID: 'agent-1', WG_RUN_ID: 'r'.repeat(32) };
    for (const args of [
      ['secret', 'list'],
      ['secret', 'get', 'k', '--reveal', '--backend', 'keystore'],
      ['secret', 'set', 'x', '--value', 'y'],
    ]) {
      const r = await p.wg(args, asRun);
      expect(r.exitCode, args.join(' ')).not.toBe(0);
      expect(r.stdout).not.toContain('sk-secret-value');
      expect(r.stderr).toContain("an agent's run may not use the credential store");
    }
  });
});

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inferProvider } from '../../src/core/secrets/endpoints';
import { wgInProcess } from '../helpers/wg-cli';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg endpoints` and `wg key` against upstream's cases: graphwork/workgraph src/commands/endpoints.rs and
 * src/commands/key.rs (`mod tests`), and tests/integration_cli_endpoints.rs, each named in its `it`. Upstream's
 * run_add(dir, name, provider, url, model, api_key, api_key_file, key_env, default, global) is `wg endpoints add`
 * here, its Config::load the project's config.toml as upstream reads it.
 */

interface EndpointRow {
  name: string;
  provider: string;
  url?: string;
  model?: string;
  api_key?: string;
  api_key_file?: string;
  api_key_env?: string;
  is_default: boolean;
}

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-endpoints-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const configFile = () => join(p.root, '.workgraph', 'config.toml');
/** The project's `[[llm_endpoints.endpoints]]` as upstream's Config::load reads them. */
const endpoints = (): EndpointRow[] => {
  if (!existsSync(configFile())) return [];
  const table = parse(readFileSync(configFile(), 'utf8')) as { llm_endpoints?: { endpoints?: EndpointRow[] } };
  return table.llm_endpoints?.endpoints ?? [];
};
const add = (name: string, flags: string[] = []) => p.ok(['endpoints', 'add', name, ...flags]);
/** Runs with no provider's key in the environment, so that a key found is the one configured. */
const NO_KEYS = { OPENROUTER_API_KEY: '', OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' };

describe('wg endpoints add (upstream endpoints.rs, integration_cli_endpoints.rs)', () => {
  it('cli_endpoint_add_persists: every field written; the first endpoint is the default', async () => {
    const out = await add('my-ep', ['--provider', 'openai', '--url', 'https://api.openai.com/v1', '--model', 'gpt-4o']);
    // cli_endpoints_add_creates_config_entry: upstream's words.
    expect(out.trim()).toBe("Added endpoint 'my-ep' [openai] (set as default)");
    expect(endpoints()).toEqual([
      { name: 'my-ep', provider: 'openai', url: 'https://api.openai.com/v1', model: 'gpt-4o', is_default: true },
    ]);
  });

  it('cli_endpoint_add_persists (--api-key): the key goes to a file of 0600 the endpoint names, never into config.toml', async () => {
    const key = 'sk-test-0123456789abcdefghijkl';
    const added = await p.wg(['endpoints', 'add', 'my-ep', '--provider', 'openai', '--api-key', key]);
    expect(added.exitCode).toBe(0);
    expect(added.stderr).toContain('may expose them in shell history');
    const [ep] = endpoints();
    expect(ep?.api_key).toBeUndefined();
    expect(ep?.api_key_file).toBe(join(p.home, 'keys', 'my-ep.key'));
    expect(readFileSync(join(p.home, 'keys', 'my-ep.key'), 'utf8')).toBe(key);
    expect(statSync(join(p.home, 'keys', 'my-ep.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(p.home, 'keys')).mode & 0o777).toBe(0o700);
    expect(readFileSync(configFile(), 'utf8')).not.toContain('0123456789');
    // Never printed whole: list masks it (from its file), in words and in --json.
    const list = await p.wg(['endpoints', 'list']);
    expect(list.stdout + list.stderr).not.toContain('0123456789');
    expect(JSON.stringify(await p.json(['endpoints', 'list']))).not.toContain('0123456789');
  });

  it('cli_endpoint_add_with_key_file: api_key_file kept, the key read from it (trimmed)', async () => {
    const keyFile = join(p.root, 'key.txt');
    writeFileSync(keyFile, 'sk-from-file\n');
    expect(await add('file-ep', ['--provider', 'anthropic', '--api-key-file', keyFile])).toContain("Added endpoint 'file-ep'");
    const [ep] = endpoints();
    expect(ep?.api_key).toBeUndefined();
    expect(ep?.api_key_file).toBe(keyFile);
    const [shown] = await p.json<Array<{ key_present: boolean; key_source: string }>>(['endpoints', 'list'], NO_KEYS);
    expect(shown).toMatchObject({ key_present: true, key_source: `file: ${keyFile}` });
  });

  it('cli_endpoint_add_unknown_name_defaults_to_anthropic (cli_endpoints_add_defaults_provider_to_anthropic)', async () => {
    await add('bare');
    expect(endpoints()[0]?.provider).toBe('anthropic');
  });

  it('cli_endpoint_add_infers_openrouter_from_name, _infers_anthropic_from_name, _explicit_provider_overrides_name_inference', async () => {
    await add('openrouter');
    await add('anthropic');
    await add('openai', ['--provider', 'openrouter']);
    expect(endpoints().map((e) => e.provider)).toEqual(['openrouter', 'anthropic', 'openrouter']);
  });

  it('infer_provider_known_names, infer_provider_unknown_defaults_to_anthropic', () => {
    for (const name of ['openrouter', 'anthropic', 'openai', 'gemini', 'ollama', 'llamacpp', 'vllm', 'local']) {
      expect(inferProvider(name)).toBe(name);
    }
    expect(inferProvider('OpenRouter')).toBe('openrouter');
    expect(inferProvider('OPENROUTER')).toBe('openrouter');
    expect(inferProvider('my-custom-ep')).toBe('anthropic');
    expect(inferProvider('production')).toBe('anthropic');
  });

  it('cli_endpoint_add_duplicate_errors: one line, nonzero, nothing changed', async () => {
    await add('dup', ['--provider', 'openai']);
    const before = readFileSync(configFile(), 'utf8');
    const again = await p.wg(['endpoints', 'add', 'dup', '--provider', 'anthropic']);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr.trim()).toBe("wg: Endpoint 'dup' already exists. Remove it first or use a different name.");
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
  });

  it('cli_endpoint_add_first_auto_default, _second_not_auto_default, _explicit_default_clears_others', async () => {
    await add('first');
    await add('second');
    expect(endpoints().map((e) => e.is_default)).toEqual([true, false]);
    await add('third', ['--default']);
    expect(endpoints().map((e) => e.is_default)).toEqual([false, false, true]);
  });

  it('refuses in one line a name that would be a path, a URL that is not http(s), both --api-key and --api-key-file', async () => {
    for (const args of [
      ['endpoints', 'add', '../x'],
      ['endpoints', 'add', 'x', '--url', 'file:///etc/passwd'],
      ['endpoints', 'add', 'x', '--api-key', 'k', '--api-key-file', '/tmp/k'],
      ['endpoints', 'add', 'x', '--key-env', 'NOT A VAR'],
    ]) {
      const result = await p.wg(args);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(endpoints()).toEqual([]);
  });

  it("the hidden singular alias `wg endpoint` (upstream's Endpoint command) is the same command", async () => {
    expect(await p.ok(['endpoint', 'add', 'one'])).toContain("Added endpoint 'one'");
    expect(await p.json(['endpoint', 'list'])).toHaveLength(1);
  });
});

describe('wg endpoints update (upstream endpoints.rs)', () => {
  it('cli_endpoint_update_patches_api_key_file: only the key changes; the inline key upstream wrote is cleared', async () => {
    // An endpoint as upstream's own `wg endpoints add --api-key` writes it: the key inline in config.toml.
    writeFileSync(
      configFile(),
      '[[llm_endpoints.endpoints]]\nname = "upd-ep"\nprovider = "openai"\nurl = "https://api.openai.com/v1"\nmodel = "gpt-4o"\napi_key = "sk-old-inline"\nis_default = true\n',
    );
    const keyFile = join(p.root, 'new.key');
    writeFileSync(keyFile, 'sk-new-from-file\n');
    const out = await p.ok(['endpoints', 'update', 'upd-ep', '--api-key-file', keyFile]);
    expect(out.trim()).toBe("Updated endpoint 'upd-ep': api_key_file");
    expect(endpoints()).toEqual([
      { name: 'upd-ep', provider: 'openai', url: 'https://api.openai.com/v1', model: 'gpt-4o', api_key_file: keyFile, is_default: true },
    ]);
  });

  it('cli_endpoint_update_patches_provider, cli_endpoint_update_multiple_fields', async () => {
    await add('ep', ['--provider', 'openai']);
    expect((await p.ok(['endpoints', 'update', 'ep', '--provider', 'anthropic'])).trim()).toBe("Updated endpoint 'ep': provider");
    const out = await p.ok([
      'endpoints',
      'update',
      'ep',
      '--url',
      'https://custom.url/v1',
      '--model',
      'claude-4',
      '--key-env',
      'MY_KEY_ENV',
    ]);
    expect(out.trim()).toBe("Updated endpoint 'ep': url, model, key_env");
    expect(endpoints()[0]).toMatchObject({
      provider: 'anthropic',
      url: 'https://custom.url/v1',
      model: 'claude-4',
      api_key_env: 'MY_KEY_ENV',
    });
  });

  it('cli_endpoint_update_nonexistent_errors (not found exits 3), cli_endpoint_update_no_fields_errors', async () => {
    const missing = await p.wg(['endpoints', 'update', 'nope', '--model', 'x']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr.trim()).toBe("wg: Endpoint 'nope' not found.");
    await add('ep');
    const none = await p.wg(['endpoints', 'update', 'ep']);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('No fields specified to update');
  });

  it('cli_endpoint_update_set_default', async () => {
    await add('a');
    await add('b');
    expect((await p.ok(['endpoints', 'update', 'b', '--default'])).trim()).toBe("Updated endpoint 'b': default");
    expect(endpoints().map((e) => e.is_default)).toEqual([false, true]);
  });
});

describe('wg endpoints list, remove, set-default (upstream endpoints.rs, integration_cli_endpoints.rs)', () => {
  it('cli_endpoint_list_empty (cli_endpoints_list_json_empty)', async () => {
    expect(await p.ok(['endpoints', 'list'])).toContain('No endpoints configured.');
    expect(await p.json(['endpoints', 'list'])).toEqual([]);
  });

  it("cli_endpoint_list_with_data (cli_endpoints_list_shows_all_fields): upstream's layout and --json fields", async () => {
    await add('full-ep', ['--provider', 'openrouter', '--model', 'anthropic/claude-sonnet-4', '--key-env', 'MY_OR_KEY']);
    await add('local', ['--url', 'http://localhost:11434/v1']);
    const text = await p.ok(['endpoints', 'list'], NO_KEYS);
    expect(text).toContain(
      [
        'Configured endpoints:',
        '',
        '  full-ep (default)',
        '    provider: openrouter',
        '    url:      https://openrouter.ai/api/v1',
        '    model:    anthropic/claude-sonnet-4',
        '    api_key:  (from env: MY_OR_KEY) \u2717',
        '    key_env:  MY_OR_KEY',
        '',
        '  local',
        '    provider: local',
      ].join('\n'),
    );
    const json = await p.json<unknown[]>(['endpoints', 'list'], { ...NO_KEYS, MY_OR_KEY: 'sk-or-env' });
    expect(json[0]).toEqual({
      name: 'full-ep',
      provider: 'openrouter',
      url: 'https://openrouter.ai/api/v1',
      model: 'anthropic/claude-sonnet-4',
      api_key: '(from env: MY_OR_KEY)',
      key_env: 'MY_OR_KEY',
      key_source: 'env: MY_OR_KEY',
      key_present: true,
      is_default: true,
    });
  });

  it('masks an inline key upstream wrote: its first three and last four from 24 characters on, else ****', async () => {
    writeFileSync(
      configFile(),
      '[[llm_endpoints.endpoints]]\nname = "long"\napi_key = "sk-ant-0123456789abcdefghij1234"\n\n[[llm_endpoints.endpoints]]\nname = "short"\napi_key = "sk-12345678"\n',
    );
    const shown = await p.json<Array<{ api_key: string; key_source: string }>>(['endpoints', 'list']);
    expect(shown.map((e) => e.api_key)).toEqual(['sk-****...1234', '****']);
    expect(shown.map((e) => e.key_source)).toEqual(['inline', 'inline']);
  });

  it('cli_endpoint_remove_cleans_up, cli_endpoint_remove_nonexistent_errors', async () => {
    await add('x');
    expect((await p.ok(['endpoints', 'remove', 'x'])).trim()).toBe("Removed endpoint 'x'.");
    expect(endpoints()).toEqual([]);
    expect(await p.ok(['endpoints', 'list'])).toContain('No endpoints configured');
    const gone = await p.wg(['endpoints', 'remove', 'nope']);
    expect(gone.exitCode).toBe(3);
    expect(gone.stderr.trim()).toBe("wg: Endpoint 'nope' not found.");
  });

  it('cli_endpoint_remove_default_promotes_next: said on stderr, as upstream', async () => {
    await add('a');
    await add('b');
    const removed = await p.wg(['endpoints', 'remove', 'a']);
    expect(removed.stderr).toContain("Note: 'a' was default. Promoted 'b' to default.");
    expect(endpoints()).toEqual([{ name: 'b', provider: 'anthropic', is_default: true }]);
  });

  it('cli_endpoint_set_default_switches, cli_endpoint_set_default_nonexistent_errors', async () => {
    await add('a');
    await add('b');
    expect((await p.ok(['endpoints', 'set-default', 'b'])).trim()).toBe("Set 'b' as default endpoint.");
    expect(endpoints().map((e) => [e.name, e.is_default])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect((await p.wg(['endpoints', 'set-default', 'nope'])).exitCode).toBe(3);
  });

  it('cli_endpoint_full_lifecycle (cli_endpoints_full_lifecycle)', async () => {
    await add('ep-a', ['--provider', 'openai']);
    await add('ep-b', ['--provider', 'anthropic']);
    expect(await p.json(['endpoints', 'list'])).toHaveLength(2);
    await p.ok(['endpoints', 'set-default', 'ep-b']);
    expect(endpoints().find((e) => e.name === 'ep-b')?.is_default).toBe(true);
    await p.ok(['endpoints', 'remove', 'ep-a']);
    expect(endpoints()).toHaveLength(1);
    await p.ok(['endpoints', 'remove', 'ep-b']);
    expect(endpoints()).toEqual([]);
  });

  it('--global writes the global config.toml; the project list, when it has one, replaces it (upstream load_merged)', async () => {
    await add('g', ['--global']);
    expect(readFileSync(join(p.home, 'config.toml'), 'utf8')).toContain('name = "g"');
    expect((await p.json<Array<{ name: string }>>(['endpoints', 'list'])).map((e) => e.name)).toEqual(['g']);
    await add('own');
    expect((await p.json<Array<{ name: string }>>(['endpoints', 'list'])).map((e) => e.name)).toEqual(['own']);
  });
});

describe('wg endpoints test (upstream endpoints.rs, against a local server)', () => {
  let server: Server | null = null;
  let seen: IncomingHttpHeaders | null = null;
  afterEach(async () => {
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    server = null;
  });
  /** Upstream's mock_server: one status and body for every request. */
  const mockServer = async (status: number, body: string): Promise<string> => {
    const listening = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    server = listening;
    await new Promise<void>((done) => listening.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  };

  it("cli_endpoint_test_success: the key sent as a bearer token, upstream's lines", async () => {
    const url = await mockServer(200, '{"data":[]}');
    await add('ok-ep', ['--provider', 'openai', '--url', url, '--key-env', 'TEST_KEY']);
    const out = await p.ok(['endpoints', 'test', 'ok-ep'], { ...NO_KEYS, TEST_KEY: 'sk-test-key' });
    expect(out.trim()).toBe(
      ["Testing endpoint 'ok-ep' ...", `  URL: ${url}/models`, '  Status: 200 OK', '  Connectivity: OK', '  Authentication: OK'].join('\n'),
    );
    expect(seen?.authorization).toBe('Bearer sk-test-key');
  });

  it('cli_endpoint_test_auth_failure_does_not_bail: exit 0, says FAILED with the body', async () => {
    const url = await mockServer(401, '{"error":"invalid key"}');
    await add('bad-ep', ['--provider', 'openai', '--url', url, '--key-env', 'TEST_KEY']);
    const result = await p.wg(['endpoints', 'test', 'bad-ep'], { ...NO_KEYS, TEST_KEY: 'sk-bad' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('  Authentication: FAILED — check your API key');
    expect(result.stdout).toContain('  Response: {"error":"invalid key"}');
  });

  it('cli_endpoint_test_no_key: no authorization sent; says a key may be required', async () => {
    const url = await mockServer(200, '{}');
    await add('nokey-ep', ['--provider', 'local', '--url', url]);
    expect(await p.ok(['endpoints', 'test', 'nokey-ep'], NO_KEYS)).toContain('  Authentication: (no key configured, may be required)');
    expect(seen?.authorization).toBeUndefined();
  });

  it('an anthropic endpoint is asked /v1/models with x-api-key and anthropic-version, as upstream', async () => {
    const url = await mockServer(200, '{}');
    await add('ant', ['--url', url, '--key-env', 'TEST_KEY']);
    expect(await p.ok(['endpoints', 'test', 'ant'], { ...NO_KEYS, TEST_KEY: 'sk-ant' })).toContain(`  URL: ${url}/v1/models`);
    expect(seen).toMatchObject({ 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01' });
  });

  it('cli_endpoint_test_nonexistent_errors, cli_endpoint_test_connection_refused (one plain line, exit 1)', async () => {
    expect((await p.wg(['endpoints', 'test', 'nope'])).exitCode).toBe(3);
    // A port just closed: nothing listens there.
    const url = await mockServer(200, '{}');
    await new Promise((done) => server?.close(done));
    server = null;
    await add('dead', ['--provider', 'openai', '--url', url]);
    const result = await p.wg(['endpoints', 'test', 'dead'], NO_KEYS);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('  Connection FAILED: connection refused');
    expect(result.stderr.trim()).toBe("wg: Could not connect to endpoint 'dead': connection refused");
  });
});

describe('wg key (upstream key.rs)', () => {
  it('key_set_env_stores_reference', async () => {
    await add('openrouter', ['--provider', 'openrouter']);
    expect((await p.ok(['key', 'set', 'openrouter', '--env', 'OPENROUTER_API_KEY'])).trim()).toBe(
      "Set API key for 'openrouter': using env var OPENROUTER_API_KEY",
    );
    const [ep] = endpoints();
    expect(ep?.api_key_env).toBe('OPENROUTER_API_KEY');
    expect(ep?.api_key).toBeUndefined();
    expect(ep?.api_key_file).toBeUndefined();
  });

  it('key_set_file_stores_reference: a new endpoint for the provider, made the default', async () => {
    const keyFile = join(p.root, 'my.key');
    writeFileSync(keyFile, 'sk-test');
    await p.ok(['key', 'set', 'anthropic', '--file', keyFile]);
    expect(endpoints()).toEqual([{ name: 'anthropic', provider: 'anthropic', api_key_file: keyFile, is_default: true }]);
  });

  it('key_set_value_writes_to_keys_dir: keys/<provider>.key of 0600, config.toml names the file; --from-stdin likewise', async () => {
    const set = await p.wg(['key', 'set', 'openai', '--value', 'sk-openai-secret-value']);
    expect(set.exitCode).toBe(0);
    const file = join(p.home, 'keys', 'openai.key');
    expect(set.stdout).toContain(`Stored key securely in ${file} (mode 600)`);
    expect(set.stderr).toContain('may expose them in shell history');
    expect(readFileSync(file, 'utf8')).toBe('sk-openai-secret-value');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(endpoints()).toEqual([{ name: 'openai', provider: 'openai', api_key_file: file, is_default: true }]);
    const piped = await wgInProcess(['--dir', p.root, 'key', 'set', 'openrouter', '--from-stdin'], {
      cwd: p.root,
      env: { WG_HOME: p.home, WG_DIR: '', WG_AGENT_ID: '', WG_RUN_ID: '', WG_AGENTD_RELAY: '' },
      input: 'sk-or-piped\n',
    });
    expect(piped.exitCode).toBe(0);
    expect(piped.stderr).not.toContain('shell history');
    expect(readFileSync(join(p.home, 'keys', 'openrouter.key'), 'utf8')).toBe('sk-or-piped');
  });

  it('key_set_no_flag_errors, key_set_multiple_flags_errors: one line, nothing written', async () => {
    const none = await p.wg(['key', 'set', 'openai']);
    expect(none.exitCode).toBe(1);
    expect(none.stderr.trim()).toBe('wg: Specify one of --env, --file, --value or --from-stdin');
    const both = await p.wg(['key', 'set', 'openai', '--env', 'VAR', '--file', '/path']);
    expect(both.stderr.trim()).toBe('wg: Specify only one of --env, --file, --value or --from-stdin');
    const traversal = await p.wg(['key', 'set', '../evil', '--value', 'x']);
    expect(traversal.exitCode).toBe(1);
    expect(endpoints()).toEqual([]);
    expect(existsSync(join(p.home, 'keys'))).toBe(false);
  });

  it('key_set_clears_previous_inline_key', async () => {
    writeFileSync(
      configFile(),
      '[[llm_endpoints.endpoints]]\nname = "openrouter"\nprovider = "openrouter"\napi_key = "sk-inline-secret"\nis_default = true\n',
    );
    await p.ok(['key', 'set', 'openrouter', '--env', 'OPENROUTER_API_KEY']);
    const [ep] = endpoints();
    expect(ep?.api_key).toBeUndefined();
    expect(ep?.api_key_env).toBe('OPENROUTER_API_KEY');
  });

  it('key_check_no_endpoints, key_list_no_endpoints', async () => {
    expect(await p.ok(['key', 'check'])).toContain('No endpoints configured.');
    expect(await p.ok(['key', 'check', 'openrouter'])).toContain('  Status: not configured');
    expect(await p.json(['key', 'check', 'openrouter'])).toEqual({
      provider: 'openrouter',
      status: 'not_configured',
      error: "No endpoint configured for 'openrouter'",
    });
    expect((await p.ok(['key', 'list'])).trim()).toBe('No endpoints configured.');
    expect(await p.json(['key', 'list'])).toEqual([]);
  });

  it('key_list_shows_configured_endpoints: present, missing, the source; --json of upstream', async () => {
    await add('openrouter', ['--provider', 'openrouter']);
    await p.ok(['key', 'set', 'openrouter', '--env', 'OPENROUTER_API_KEY']);
    await add('work', ['--provider', 'openai', '--key-env', 'WORK_KEY']);
    const env = { ...NO_KEYS, OPENROUTER_API_KEY: 'sk-or-x' };
    const list = await p.ok(['key', 'list'], env);
    expect(list).toContain('  openrouter      env: OPENROUTER_API_KEY                 \u2713 present');
    expect(list).toContain('  openai (work)   env: WORK_KEY                           \u2717 missing');
    expect(await p.json(['key', 'list'], env)).toEqual([
      { provider: 'openrouter', name: 'openrouter', source: 'env: OPENROUTER_API_KEY', status: 'present' },
      { provider: 'openai', name: 'work', source: 'env: WORK_KEY', status: 'missing' },
    ]);
    expect(await p.ok(['key', 'check'], env)).toContain('  work (openai)   \u2717 (env: WORK_KEY)');
    const missing = await p.ok(['key', 'check', 'work'], env);
    expect(missing).toContain('  Key status: \u2717 not found');
    expect(missing).toContain('  Hint: Set the WORK_KEY environment variable');
  });

  it('key_not_written_to_config_toml', async () => {
    await p.ok(['key', 'set', 'openai', '--env', 'OPENAI_API_KEY']);
    const text = readFileSync(configFile(), 'utf8');
    expect(text).not.toContain('sk-');
    expect(text).toContain('OPENAI_API_KEY');
  });

  it("key check of an OpenRouter key asks its endpoint's /key, and prints what is left (upstream's live validation)", async () => {
    let auth: string | undefined;
    const server = createServer((req, res) => {
      auth = req.headers.authorization;
      const ok = req.url === '/api/v1/key' && auth === 'Bearer sk-or-good';
      res
        .writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
        .end(ok ? '{"data":{"limit":100,"limit_remaining":42.5}}' : '{}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
      await add('openrouter', ['--url', url, '--key-env', 'OR_KEY']);
      const good = await p.ok(['key', 'check', 'openrouter'], { ...NO_KEYS, OR_KEY: 'sk-or-good' });
      expect(good).toContain('  Key status: \u2713 valid');
      expect(good).toContain('  Credits:    $42.5');
      expect(good).not.toContain('sk-or-good');
      expect(auth).toBe('Bearer sk-or-good');
      expect(await p.json(['key', 'check', 'openrouter'], { ...NO_KEYS, OR_KEY: 'sk-or-good' })).toMatchObject({
        status: 'valid',
        credits: { limit: 100, limit_remaining: 42.5 },
      });
      const bad = await p.ok(['key', 'check', 'openrouter'], { ...NO_KEYS, OR_KEY: 'sk-or-bad' });
      expect(bad).toContain('  Key status: \u2717 validation failed (HTTP 401 Unauthorized)');
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it("an agent's run may not use wg key or wg endpoints (least authority)", async () => {
    await add('openai');
    const refused = await p.wg(['key', 'list'], { WG_AGENT_ID: 'agent-1', WG_RUN_ID: 'run-1' });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("may not use the credential store ('key list')");
  });
});

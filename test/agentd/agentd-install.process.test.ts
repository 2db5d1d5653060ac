import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WG_BIN } from '../helpers/wg-cli';

const root = mkdtempSync(join(tmpdir(), 'wg-agentd-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** systemd's own checker on a unit file (installed in CI by .ci/run). */
async function verify(file: string): Promise<{ exitCode: number; text: string }> {
  const runtime = mkdtempSync(join(tmpdir(), 'wg-xdg-'));
  const result = await execa('systemd-analyze', ['verify', '--user', file], { env: { XDG_RUNTIME_DIR: runtime }, reject: false });
  rmSync(runtime, { recursive: true, force: true });
  return { exitCode: result.exitCode ?? 1, text: `${result.stdout}${result.stderr}`.trim() };
}

describe('wg agentd install', () => {
  it('writes a systemd unit whose EnvironmentFile systemd accepts (an absolute path, unquoted), in a folder with a space and %', async () => {
    // A space and % are what systemd would take for syntax in a path.
    const dir = join(root, 'user units 100%');
    mkdirSync(dir, { recursive: true });
    const installed = await execa(
      process.execPath,
      [WG_BIN, 'agentd', 'install', '--url', 'http://127.0.0.1:9', '--token', 'wga_abc.def', '--repo-paths', `app=${root}`],
      { env: { WG_SYSTEMD_USER_DIR: dir, WG_DIR: '', WG_AGENT_ID: '' }, reject: false },
    );
    expect(installed.stderr).toBe('');
    expect(installed.exitCode).toBe(0);
    const file = join(dir, 'workgraph-agentd.service');
    const envFile = join(dir, 'workgraph-agentd.env');
    const unit = readFileSync(file, 'utf8');
    expect(unit).toContain(`\nEnvironmentFile=${envFile.replace('%', '%%')}\n`);
    const checked = await verify(file);
    expect(checked.text).toBe('');
    expect(checked.exitCode).toBe(0);
    // The settings themselves: one KEY="value" a line, the token among them.
    expect(readFileSync(envFile, 'utf8')).toContain('WG_AGENT_TOKEN="wga_abc.def"\n');
    // It holds the agent token: readable by this user alone (SECURITY.md), a new file each time.
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
  });

  it("systemd's verdict on the old quoted EnvironmentFile (what this test guards against)", async () => {
    const dir = join(root, 'quoted');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'quoted.service');
    const good = readFileSync(join(root, 'user units 100%', 'workgraph-agentd.service'), 'utf8');
    await import('node:fs').then((fs) => fs.writeFileSync(file, good.replace(/^EnvironmentFile=(.*)$/m, 'EnvironmentFile="$1"')));
    const checked = await verify(file);
    expect(checked.text).toMatch(/EnvironmentFile=|not absolute/);
  });
});

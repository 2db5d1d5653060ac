import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loginShellPath } from '../../../src/main/login-path/login-shell-path';

/**
 * The PATH of the person's login shell, read by the app started outside a terminal: a real bash reading a start-up file
 * of a home folder made here.
 */
const home = mkdtempSync(join(tmpdir(), 'wg-login-path-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const SYSTEM_PATH = '/usr/bin:/bin';
const envWith = (profile: string) => {
  writeFileSync(join(home, '.bash_profile'), profile);
  return { HOME: home, PATH: SYSTEM_PATH, SHELL: '/bin/bash' };
};

/** Whether a process whose command line holds `text` runs. */
function running(text: string): boolean {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(text);
      } catch {
        return false;
      }
    });
}

describe('loginShellPath', () => {
  it("is the PATH the login shell's start-up files set, whatever they print around it", async () => {
    const env = envWith(
      [
        'printf "\\033[1;32mWelcome back!\\033[0m\\n"',
        'export PATH="/opt/homebrew/bin:$HOME/.local/bin:$PATH"',
        'echo "last login: today"',
      ].join('\n'),
    );
    // The system's own profile (Debian's /etc/profile) sets its PATH before the person's file adds to it.
    const path = await loginShellPath('/bin/bash', env, 10_000);
    expect(path?.startsWith(`/opt/homebrew/bin:${home}/.local/bin:`)).toBe(true);
    expect(path).not.toMatch(/Welcome|last login/);
    expect(path).not.toContain(String.fromCharCode(27));
  });

  it('is null, soon, when a start-up file waits, and leaves nothing of it running', async () => {
    const env = envWith('sleep 31.4159\n');
    const started = Date.now();
    expect(await loginShellPath('/bin/bash', env, 300)).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(running('sleep 31.4159')).toBe(false);
  });

  it('is null for a shell that is not there or fails', async () => {
    expect(await loginShellPath('/no/such/shell', envWith(''), 5_000)).toBeNull();
    expect(await loginShellPath('/bin/false', envWith(''), 5_000)).toBeNull();
  });
});

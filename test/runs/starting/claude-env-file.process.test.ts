import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { claudeEnvFilePath, installClaudeEnvFile } from '../../../src/core/runs/starting/claude-env-file';

/*
 * The file a run's CLAUDE_ENV_FILE names, as Claude Code uses it: its text runs in the command's own shell, after the
 * login profile (here a HOME's that sets PATH=/usr/bin:/bin). The real CLI is in
 * test/coordinator/claude-login-path.process.test.ts; this pins the file's own contract.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "wg-claude-env-it's-"));
  dirs.push(dir);
  return dir;
}

/** What `bash -l -c` prints after the file's text, with HOME's profile setting PATH afresh. */
function inLoginShell(file: string, command: string): string {
  const home = folder();
  writeFileSync(join(home, '.bash_profile'), 'PATH=/usr/bin:/bin\nexport PATH\n');
  return execFileSync('/bin/bash', ['-l', '-c', `${readFileSync(file, 'utf8')}\n${command}`], {
    env: { HOME: home, PATH: '/somewhere/else' },
    encoding: 'utf8',
  });
}

it('puts the folder of the agents’ wg first again after a login profile set PATH afresh, its name quoted', () => {
  const bin = join(folder(), "b i'n");
  mkdirSync(bin);
  const file = installClaudeEnvFile(bin, null);
  expect(file).toBe(claudeEnvFilePath(bin));
  expect(inLoginShell(file, 'echo "$PATH"')).toBe(`${bin}:/usr/bin:/bin\n`);
});

it("runs the coordinator's own CLAUDE_ENV_FILE first, as Claude Code would have, and never itself", () => {
  const bin = folder();
  const own = join(folder(), 'mine.sh');
  writeFileSync(own, 'export MINE=kept\nexport PATH="/mine:$PATH"\n');
  const file = installClaudeEnvFile(bin, own);
  expect(inLoginShell(file, 'echo "$MINE $PATH"')).toBe(`kept ${bin}:/mine:/usr/bin:/bin\n`);
  // One given its own path (a coordinator started from an agent's run of the same project) does not run itself.
  installClaudeEnvFile(bin, file);
  expect(readFileSync(file, 'utf8')).not.toContain(' . ');
  expect(inLoginShell(file, 'echo "$PATH"')).toBe(`${bin}:/usr/bin:/bin\n`);
  // One that is gone is passed over.
  rmSync(own);
  installClaudeEnvFile(bin, own);
  expect(inLoginShell(file, 'echo "[$MINE] $PATH"')).toBe(`[] ${bin}:/usr/bin:/bin\n`);
});

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { replaceFile } from '../../files/no-follow';

/** The file, beside the agents' `wg`, that Claude Code runs before each Bash command of a run (CLAUDE_ENV_FILE). */
const CLAUDE_ENV_FILE_NAME = 'claude-env.sh';

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** Where the env file of the agents' `wg` in `binDir` is: the value of a run's CLAUDE_ENV_FILE. */
export function claudeEnvFilePath(binDir: string): string {
  return join(binDir, CLAUDE_ENV_FILE_NAME);
}

/**
 * What Claude Code runs before each Bash command (it reads CLAUDE_ENV_FILE into the command's own script): `binDir`
 * first on PATH again. Claude Code 2.1 runs a command in a login shell whenever its shell snapshot is missing (not made
 * within 10 s of the session's start, or failed), and a login shell's profile sets PATH afresh (Debian's /etc/profile
 * does, as do many people's own), losing the folder the run's environment put first. `inherited`: the
 * CLAUDE_ENV_FILE the coordinator itself was given, run first as Claude Code would have.
 */
function claudeEnvScript(binDir: string, inherited: string | null): string {
  const own = inherited && resolve(inherited) !== claudeEnvFilePath(binDir) ? inherited : null;
  return [
    '# Written by the workgraph coordinator: Claude Code runs this before each Bash command of its agents',
    "# (CLAUDE_ENV_FILE), so this app's wg is found by name even where a login profile sets PATH afresh.",
    ...(own ? [`if [ -r ${quote(own)} ]; then . ${quote(own)}; fi`] : []),
    // The shell's own expansion: no trailing ':' (the current folder) after an empty PATH.
    `export PATH=${quote(binDir)}"\${PATH:+:$PATH}"`,
    '',
  ].join('\n');
}

/** Writes the env file beside the agents' `wg` in `binDir` (when it changed); readable by all, as the script is. */
export function installClaudeEnvFile(binDir: string, inherited: string | null): string {
  const path = claudeEnvFilePath(binDir);
  const text = claudeEnvScript(binDir, inherited);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) replaceFile(path, text, { mode: 0o644 });
  return path;
}

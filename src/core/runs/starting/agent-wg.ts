import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectPaths } from '../../project';
import { replaceFile } from '../../files/no-follow';
import { installClaudeEnvFile } from './claude-env-file';

/** How to run this app's `wg`: plain Node with the bundled CLI, or Electron with ELECTRON_RUN_AS_NODE=1. */
export interface WgCommand {
  command: string;
  args: string[];
  /** Set for the CLI process only (never for the app or the agents, where ELECTRON_RUN_AS_NODE would break any Electron app they start). */
  env: Record<string, string>;
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function agentWgScript(command: WgCommand): string {
  const exports = Object.entries(command.env)
    .map(([key, value]) => `export ${key}=${quote(value)}\n`)
    .join('');
  return `#!/bin/sh\n# Written by the workgraph coordinator: runs this app's wg.\n${exports}exec ${[command.command, ...command.args].map(quote).join(' ')} "$@"\n`;
}

/** Where agents find this app's `wg`: named by its absolute path in their prompt and WG_BIN. */
export function agentWgPath(paths: Pick<ProjectPaths, 'serviceDir'>): string {
  return join(paths.serviceDir, 'bin', 'wg');
}

/**
 * Writes `.workgraph/service/bin/wg` and the env file Claude Code runs before each command (claude-env-file.ts;
 * `inheritedClaudeEnv`: the coordinator's own CLAUDE_ENV_FILE), each when it changed, and returns their folder, to go
 * first on agents' PATH.
 */
export function installAgentWg(paths: ProjectPaths, command: WgCommand, inheritedClaudeEnv: string | null = null): string {
  const script = agentWgPath(paths);
  const binDir = join(paths.serviceDir, 'bin');
  const text = agentWgScript(command);
  mkdirSync(binDir, { recursive: true });
  if (!existsSync(script) || readFileSync(script, 'utf8') !== text) replaceFile(script, text);
  chmodSync(script, 0o755);
  installClaudeEnvFile(binDir, inheritedClaudeEnv);
  return binDir;
}

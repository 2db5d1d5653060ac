import { execa } from 'execa';
import { stripVTControlCharacters } from 'node:util';

/** Marks around the PATH the shell prints, so that whatever its start-up files print (a greeting) is left out. */
const MARK = '__WG_LOGIN_PATH__';

/**
 * Variables that keep a login shell from blocking: Oh My Zsh's update prompt and its tmux plugin (what shell-env, the
 * library most Electron apps use for this, sets too).
 */
const QUIET: Record<string, string> = { DISABLE_AUTO_UPDATE: 'true', ZSH_TMUX_AUTOSTARTED: 'true', ZSH_TMUX_AUTOSTART: 'false' };

/**
 * The PATH the person's login shell sets (`SHELL -ilc`, reading their .zprofile, .zshrc, .bash_profile…), or null when
 * the shell fails, prints no PATH, or takes longer than `timeoutMs`. An app started from the Dock, Finder or a desktop
 * launcher inherits only the system's PATH, so `claude` or `codex` installed under Homebrew, nvm or ~/.local/bin are
 * not found by the agents it starts, though the same person's terminal finds them.
 * The shell runs in a process group of its own, killed whole at the timeout: a start-up file that waits (a prompt, a
 * tmux attach) leaves nothing behind. Written here rather than taken from shell-env, which has no timeout.
 */
export async function loginShellPath(shell: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | null> {
  const child = execa(shell, ['-ilc', `printf '%s' "${MARK}\${PATH}${MARK}"`], {
    env: { ...env, ...QUIET },
    extendEnv: false,
    stdin: 'ignore',
    detached: true,
    reject: false,
  });
  const timer = setTimeout(() => killGroup(child.pid), timeoutMs);
  try {
    return pathBetweenMarks(String((await child).stdout));
  } finally {
    clearTimeout(timer);
    killGroup(child.pid);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The PATH printed between the marks, colours and controls a start-up file left around it stripped. */
export function pathBetweenMarks(stdout: string): string | null {
  const parts = stripVTControlCharacters(stdout).split(MARK);
  const path = parts.length >= 3 ? (parts[1] ?? '').trim() : '';
  return path === '' ? null : path;
}

/** The login shell's PATH first, then what this process had that it lacks (the order a terminal would find things in). */
export function mergedPath(fromShell: string, current: string | undefined): string {
  const seen = new Set<string>();
  const entries: string[] = [];
  for (const entry of [...fromShell.split(':'), ...(current ?? '').split(':')]) {
    if (entry === '' || seen.has(entry)) continue;
    seen.add(entry);
    entries.push(entry);
  }
  return entries.join(':');
}

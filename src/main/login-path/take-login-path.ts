import { userInfo } from 'node:os';
import { loginShellPath, mergedPath } from './login-shell-path';

/** Longest the app waits for the login shell before its projects open; a slow shell's PATH is then left out. */
const LOGIN_SHELL_TIMEOUT_MS = 5_000;

/**
 * Puts the person's login-shell PATH on this process (which every agent's environment is made from), for an app
 * started outside a terminal (packaged, on macOS or Linux). Says in the log what it did; never throws.
 */
export async function takeLoginShellPath(log: { info(message: string): void; warn(message: string): void }): Promise<void> {
  const shell = process.env.SHELL || shellOfUser() || '/bin/sh';
  const started = Date.now();
  const path = await loginShellPath(shell, process.env, LOGIN_SHELL_TIMEOUT_MS).catch(() => null);
  if (path === null) {
    log.warn(
      `could not read PATH from the login shell ${shell} (within ${LOGIN_SHELL_TIMEOUT_MS / 1000} s); agents get the app's own PATH`,
    );
    return;
  }
  process.env.PATH = mergedPath(path, process.env.PATH);
  log.info(`PATH taken from the login shell ${shell} in ${Date.now() - started} ms`);
}

function shellOfUser(): string | null {
  try {
    return userInfo().shell;
  } catch {
    return null;
  }
}

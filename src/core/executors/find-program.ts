import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** Where the shell looks for a program when PATH is not set at all (dash's and bash's built-in default). */
const SHELL_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The file a command names, as a shell finds it: a path as given, a bare name on PATH; null when there is none. */
export function locateProgram(command: string, path: string | undefined): string | null {
  if (command.includes('/')) return isAbsolute(command) ? command : resolve(command);
  for (const dir of (path ?? SHELL_DEFAULT_PATH).split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    if (isFile(candidate) && isRunnable(candidate)) return candidate;
  }
  return null;
}

export function isFile(file: string): boolean {
  try {
    // Not there is the common answer on a PATH: told without an exception.
    return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

export function isRunnable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a run's command is surely not there to start: a bare name found nowhere on the run's PATH, or an absolute
 * path that is no runnable file. A relative path is the run's folder's to resolve (not made yet when this is asked),
 * and Windows looks programs up its own way (PATHEXT): neither is judged here.
 */
export function programMissing(command: string, path: string | undefined): boolean {
  if (process.platform === 'win32') return false;
  if (isAbsolute(command)) return !(isFile(command) && isRunnable(command));
  if (command.includes('/')) return false;
  return locateProgram(command, path) === null;
}

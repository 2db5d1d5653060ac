import { isAbsolute, resolve } from 'node:path';

/**
 * The folder named on a command line (`workgraph ~/code/project`), resolved against the launch
 * directory, or null. argv[0] is the binary; in development argv[1] is the app path Electron
 * was given, so it is skipped too. Switches (Chromium adds some to a second instance's argv) are ignored.
 */
export function folderArgument(argv: readonly string[], cwd: string, packaged: boolean): string | null {
  const positional = argv.slice(packaged ? 1 : 2).filter((arg) => arg !== '' && !arg.startsWith('-'));
  const last = positional.at(-1);
  if (last === undefined) return null;
  return isAbsolute(last) ? last : resolve(cwd, last);
}

import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { invalid } from '../../shared/errors';
import { makeFolder } from '../files/make-folder';
import { replaceFile } from '../files/no-follow';
import { globalHome } from '../project';
import { checkKeyName } from './endpoints';

/**
 * Upstream's `wg key set --value`: the key in `keys/<provider>.key` of the person's global folder (WG_HOME, else
 * ~/.wg), a file of 0600 in a folder of 0700, so that config.toml names the file and never holds the key.
 * Returns the file's path. A link planted at its name is not followed (replaceFile writes a new file and renames).
 */
export function writeKeyFile(name: string, value: string): string {
  checkKeyName(name, 'Provider name');
  const key = value.trim();
  if (key === '') throw invalid('the key is empty: give its value');
  const folder = join(globalHome(), 'keys');
  makeFolder(folder, 0o700);
  // A folder made before (by upstream, or by hand) is narrowed as upstream's write does.
  chmodSync(folder, 0o700);
  const file = join(folder, `${name}.key`);
  replaceFile(file, key, { mode: 0o600 });
  return file;
}

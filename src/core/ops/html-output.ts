import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { makeFolder } from '../files/make-folder';
import { replaceFile } from '../files/no-follow';

/** Upstream's source title of a site: `host:repo`, the repository's folder (the one holding `.wg/`), canonical. */
export function sourceTitleFor(root: string): string {
  let repo = root;
  try {
    repo = realpathSync(root);
  } catch {
    // A folder that cannot be resolved is named as given.
  }
  return `${hostname().trim() || 'unknown-host'}:${repo || 'unknown-repo'}`;
}

/** Writes the site's files under `out` (made if missing), each replaced whole and never through a link; its path. */
export function writeHtmlSite(out: string, files: Readonly<Record<string, string>>): string {
  const outDir = resolve(out);
  for (const [name, text] of Object.entries(files)) {
    const path = join(outDir, name);
    makeFolder(dirname(path), 0o755);
    replaceFile(path, text, { mode: 0o644 });
  }
  return outDir;
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { replaceFile } from '../../files/no-follow';
import type { StoreCore } from '../../store/store-core';

/*
 * What each file of an agency folder held when this app last read it (`wg agency import`) or wrote it (`wg agency
 * export`, an evaluation written beside upstream's), by its path: this app overwrites only a file still as it was
 * then. One changed since (upstream's `wg` recorded an evaluation in a role's performance, a person renamed an agent)
 * is upstream's newer word: it is kept and named, for `wg agency import` to take in first. A file never read or
 * written here is not overwritten either.
 */

/** The fingerprint of a file's text. */
function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The fingerprints recorded under the folder `dir` (paths as given to `rememberFile`). */
async function syncedFiles(core: StoreCore, dir: string): Promise<Map<string, string>> {
  // The paths under `dir/` as a key range ('0' follows '/'): typed by the column on both stores, and indexed.
  const rows = await core.all(
    core.build.selectFrom('agency_files').select(['path', 'hash']).where('path', '>', `${dir}/`).where('path', '<', `${dir}0`),
  );
  return new Map(rows.map((row) => [row.path, row.hash]));
}

/** Records what the file at `path` holds now (inside the caller's transaction). */
export async function rememberFile(core: StoreCore, path: string, text: string): Promise<void> {
  await core.send(
    core.build
      .insertInto('agency_files')
      .values({ path, hash: fingerprint(text) })
      .onConflict((oc) => oc.column('path').doUpdateSet((eb) => ({ hash: eb.ref('excluded.hash') }))),
  );
}

/** The file's text now (undefined: none). */
export function fileText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Writes files of one agency folder by the rule above; `remember()` records what was written, in one transaction. */
export class AgencyFolderWriter {
  private readonly synced: Map<string, string>;
  private readonly written: Array<{ path: string; text: string }> = [];
  /** The files kept as upstream's, each with why (relative to the folder). */
  readonly skipped: string[] = [];

  private constructor(
    private readonly core: StoreCore,
    private readonly dir: string,
    synced: Map<string, string>,
  ) {
    this.synced = synced;
  }

  /** A writer of the agency folder `dir`, knowing what this app last wrote or read there. */
  static async open(core: StoreCore, dir: string): Promise<AgencyFolderWriter> {
    return new AgencyFolderWriter(core, dir, await syncedFiles(core, dir));
  }

  /** Writes `text` unless the file there is upstream's word (kept and named); `before`: its text now. True when written. */
  write(path: string, text: string, before: string | undefined = fileText(path)): boolean {
    if (before !== undefined && before !== text) {
      const was = this.synced.get(path);
      if (was !== fingerprint(before)) {
        const why = was === undefined ? 'not read or written by this app before' : 'changed since this app last read or wrote it';
        this.skipped.push(`${relative(this.dir, path)}: ${why}, so not overwritten ('wg agency import' takes it in)`);
        return false;
      }
    }
    if (before !== text) replaceFile(path, text);
    this.written.push({ path, text });
    return true;
  }

  async remember(): Promise<void> {
    if (this.written.length === 0) return;
    await this.core.write(async () => {
      for (const file of this.written) await rememberFile(this.core, file.path, file.text);
    });
  }
}

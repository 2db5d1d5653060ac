import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { isInside, realTarget } from '../core/files/inside-folder';
import { writeOutputFile } from '../core/files/output-file';
import { locateProject } from '../core/project';
import { invalid } from '../shared/errors';
import { plainFailure } from '../shared/plain-failure';

/*
 * `--out FILE` of a command that writes a file (`wg export`, `wg trace export`). Never into the project's
 * own folder, where the file would be graph.db, graph.jsonl or the config a second tool also writes (an
 * export over graph.db would destroy the graph, without a word), even through a link; and a regular file written whole
 * or not at all (a temporary file renamed into place), so a full disk or a killed command never leaves half of one,
 * while a link, a device or a FIFO (/dev/stdout, /dev/null, a named pipe) is written in place (files/output-file.ts).
 */

export function writeOutFile(path: string, text: string, dir: string | undefined): void {
  // An empty name resolves to the folder the command runs in ("cannot write : a folder, not a file").
  if (path.trim() === '') throw invalid('the file name is empty: give a file to write');
  let projectDir: string | null = null;
  try {
    projectDir = realpathSync(locateProject({ dir, readOnly: true }).dir);
  } catch {
    // No project here (the command itself said so, or needs none): nothing of one to protect.
  }
  if (projectDir !== null && isInside(projectDir, realTarget(path))) {
    throw invalid(
      `--out ${path} is inside the project's own folder (${projectDir}), where this app and upstream's wg keep the graph; choose a file outside it`,
    );
  }
  try {
    writeOutputFile(resolve(path), text);
  } catch (error) {
    // Said of the file asked for, not of the temporary one beside it that failed.
    throw invalid(`cannot write ${path}: ${plainFailure({ code: (error as NodeJS.ErrnoException).code }) ?? 'it could not be written'}`);
  }
}

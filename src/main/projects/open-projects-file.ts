import { readJsonFile, writeJsonFile } from '../json-file';

/**
 * The folders open when the app last ran, in the order opened with the one shown last, so a restart
 * brings every project (and its coordinator) back. A file that is missing or not a list is empty.
 */
export function readOpenProjects(file: string): string[] {
  const value = readJsonFile(file);
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

export function writeOpenProjects(file: string, folders: readonly string[], current: string | null): void {
  const ordered = current === null ? [...folders] : [...folders.filter((f) => f !== current), current];
  writeJsonFile(file, ordered);
}

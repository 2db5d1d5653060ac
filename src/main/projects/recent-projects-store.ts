import { readJsonFile, writeJsonFile } from '../json-file';
import { parseRecentProjects, removeRecentProject, touchRecentProject, type RecentProject } from './recent-projects';

/** The recent projects list, kept in memory and saved to a JSON file in the app's userData on each change. */
export class RecentProjectsStore {
  private entries: RecentProject[];

  constructor(private readonly file: string) {
    this.entries = parseRecentProjects(readJsonFile(file));
  }

  list(): readonly RecentProject[] {
    return this.entries;
  }

  find(path: string): RecentProject | undefined {
    return this.entries.find((entry) => entry.path === path);
  }

  touch(path: string, now = new Date()): void {
    this.save(touchRecentProject(this.entries, path, now));
  }

  remove(path: string): void {
    this.save(removeRecentProject(this.entries, path));
  }

  clear(): void {
    this.save([]);
  }

  private save(entries: RecentProject[]): void {
    this.entries = entries;
    writeJsonFile(this.file, entries);
  }
}

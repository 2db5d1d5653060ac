import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_RECENT,
  parseRecentProjects,
  recentLabels,
  removeRecentProject,
  touchRecentProject,
  type RecentProject,
} from '../../../src/main/projects/recent-projects';
import { RecentProjectsStore } from '../../../src/main/projects/recent-projects-store';

const at = (iso: string) => new Date(iso);

describe('recent projects list', () => {
  it('puts the opened project first and keeps no duplicates', () => {
    let list: RecentProject[] = [];
    list = touchRecentProject(list, '/a', at('2025-01-01T00:00:00Z'));
    list = touchRecentProject(list, '/b', at('2025-01-02T00:00:00Z'));
    list = touchRecentProject(list, '/a', at('2025-01-03T00:00:00Z'));
    expect(list).toEqual([
      { path: '/a', openedAt: '2025-01-03T00:00:00.000Z' },
      { path: '/b', openedAt: '2025-01-02T00:00:00.000Z' },
    ]);
  });

  it(`keeps at most ${MAX_RECENT}`, () => {
    let list: RecentProject[] = [];
    for (let i = 0; i < MAX_RECENT + 5; i++) list = touchRecentProject(list, `/p${i}`, at('2025-01-01T00:00:00Z'));
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]?.path).toBe(`/p${MAX_RECENT + 4}`);
  });

  it('removes entries', () => {
    const list = touchRecentProject([], '/a', at('2025-01-01T00:00:00Z'));
    expect(removeRecentProject(list, '/a')).toEqual([]);
  });

  it('reads saved data leniently', () => {
    expect(parseRecentProjects(undefined)).toEqual([]);
    expect(parseRecentProjects({ path: '/a' })).toEqual([]);
    expect(
      parseRecentProjects([{ path: '/a', openedAt: 'x' }, { path: '' }, 42, { path: '/a', openedAt: 'y' }, { path: '/b', openedAt: 'z' }]),
    ).toEqual([
      { path: '/a', openedAt: 'x' },
      { path: '/b', openedAt: 'z' },
    ]);
  });

  it('labels by folder name, adding the path where names clash', () => {
    const list = ['/work/api', '/old/api', '/work/web'].map((path) => ({ path, openedAt: '' }));
    expect(recentLabels(list)).toEqual([
      { path: '/work/api', label: 'api — /work/api' },
      { path: '/old/api', label: 'api — /old/api' },
      { path: '/work/web', label: 'web' },
    ]);
  });
});

describe('RecentProjectsStore', () => {
  const dirs: string[] = [];
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-recent-'));
    dirs.push(dir);
    return join(dir, 'recent-projects.json');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('persists to JSON and reads it back', () => {
    const file = tempFile();
    const store = new RecentProjectsStore(file);
    store.touch('/a', at('2025-01-01T00:00:00Z'));
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect(parsed).toEqual([{ path: '/a', openedAt: '2025-01-01T00:00:00.000Z' }]);
    expect(new RecentProjectsStore(file).find('/a')?.openedAt).toBe('2025-01-01T00:00:00.000Z');
  });

  it('starts empty from a missing or corrupt file', () => {
    const file = tempFile();
    expect(new RecentProjectsStore(file).list()).toEqual([]);
    writeFileSync(file, '{not json');
    expect(new RecentProjectsStore(file).list()).toEqual([]);
  });
});

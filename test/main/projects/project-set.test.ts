import { describe, expect, it } from 'vitest';
import { ProjectSet, type OpenProject } from '../../../src/main/projects/project-set';

class FakeProject implements OpenProject {
  closed = false;
  constructor(
    readonly folder: string,
    private readonly log: string[],
  ) {}
  async close(): Promise<void> {
    this.log.push(`close ${this.folder}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.closed = true;
  }
}

function projectSet(log: string[] = [], failing = new Set<string>()) {
  return new ProjectSet<FakeProject>(async (folder) => {
    log.push(`open ${folder}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (failing.has(folder)) throw new Error(`cannot open ${folder}`);
    return new FakeProject(folder, log);
  });
}

describe("the desktop app's open projects", () => {
  it('opens several, each once, and shows the last one opened or chosen', async () => {
    const log: string[] = [];
    const set = projectSet(log);
    expect((await set.openOrShow('/a')).opened).toBe(true);
    expect((await set.openOrShow('/b')).opened).toBe(true);
    expect(set.current()?.folder).toBe('/b');
    expect((await set.openOrShow('/a')).opened).toBe(false);
    expect(set.current()?.folder).toBe('/a');
    expect(set.list().map((p) => p.folder)).toEqual(['/a', '/b']);
    expect(log).toEqual(['open /a', 'open /b']);
    expect(set.show('/b')).toBe(true);
    expect(set.show('/nowhere')).toBe(false);
    expect(set.current()?.folder).toBe('/b');
  });

  it('closing the shown project shows the one shown before it; the others keep running', async () => {
    const set = projectSet();
    for (const folder of ['/a', '/b', '/c']) await set.openOrShow(folder);
    set.show('/a');
    const a = set.current();
    await set.close('/a');
    expect(a?.closed).toBe(true);
    expect(set.current()?.folder).toBe('/c');
    expect(set.list().every((p) => !p.closed)).toBe(true);
  });

  it('opens and closes one at a time, in the order asked, and a failed open changes nothing', async () => {
    const log: string[] = [];
    const set = projectSet(log, new Set(['/bad']));
    await set.openOrShow('/a');
    const all = [
      set.openOrShow('/b'),
      set.close('/a'),
      set.openOrShow('/bad').catch((e: Error) => log.push(e.message)),
      set.openOrShow('/c'),
    ];
    await Promise.all(all);
    expect(log).toEqual(['open /a', 'open /b', 'close /a', 'open /bad', 'cannot open /bad', 'open /c']);
    expect(set.list().map((p) => p.folder)).toEqual(['/b', '/c']);
    expect(set.current()?.folder).toBe('/c');
    const errors: string[] = [];
    await set.closeAll((folder) => errors.push(folder));
    expect(set.list()).toEqual([]);
    expect(set.current()).toBeNull();
  });
});

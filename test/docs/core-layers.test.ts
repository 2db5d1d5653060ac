import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLOORS, type Imports, layerProblems } from '../../scripts/core-layers';

const ROOT = join(import.meta.dirname, '../..');

/** docs/ARCHITECTURE.md's table under "## Floors": each row's floor and the parts it names in backticks. */
function documentedFloors(): { name: string; parts: string[] }[] {
  const text = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = text.split('\n## Floors\n')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| floor ') && !line.startsWith('| ---'))
    .map((line) => {
      const [name = '', parts = ''] = line.split('|').slice(1, 3);
      return { name: name.trim(), parts: [...parts.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '') };
    });
}

/** Imports between made-up parts, one file each way. */
function importsOf(pairs: [string, string][]): Imports {
  const imports: Imports = new Map();
  for (const [from, to] of pairs) {
    const targets = imports.get(from) ?? new Map<string, string[]>();
    imports.set(from, targets.set(to, [`src/core/${from}/a.ts → src/core/${to}/b.ts`]));
  }
  return imports;
}

const floors = [
  { name: 'low', parts: ['text', 'files'] },
  { name: 'high', parts: ['runs', 'service'] },
];

describe("src/core's floors", () => {
  it('are the ones docs/ARCHITECTURE.md names', () => {
    expect(documentedFloors()).toEqual(FLOORS.map((floor) => ({ name: floor.name, parts: [...floor.parts] })));
  });

  it('let a part import from its own floor and the ones below', () => {
    const imports = importsOf([
      ['runs', 'service'],
      ['runs', 'text'],
      ['files', 'text'],
    ]);
    expect(layerProblems(['text', 'files', 'runs', 'service'], imports, floors)).toEqual([]);
  });

  it('refuse an import that climbs a floor, naming its file', () => {
    expect(layerProblems(['text', 'runs'], importsOf([['text', 'runs']]), floors)).toEqual([
      'climbs from low to high: src/core/text/a.ts → src/core/runs/b.ts',
    ]);
  });

  it('refuse a cycle, on one floor as well', () => {
    const imports = importsOf([
      ['runs', 'service'],
      ['service', 'runs'],
    ]);
    expect(layerProblems(['runs', 'service'], imports, floors)).toEqual(['a cycle of 2: runs, service']);
  });

  it('refuse a part no floor names', () => {
    expect(layerProblems(['text', 'surgery'], new Map(), floors)).toEqual(['src/core/surgery is on no floor: add it to FLOORS']);
  });
});

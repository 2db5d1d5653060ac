// Part of `npm run lint`: src/core is built in floors, each importing only from its own floor and the ones
// below, so it reads from the bottom up and a change low down is never caught in a loop with what sits above it.
// A part is a folder of src/core (src/core/<folder>) or one of its loose files (src/core/<file>.ts). Every import of
// src/core is read with the TypeScript compiler's own parser and resolver (type-only ones too: a type ties two parts
// as much as a value does), and the check fails on an import that climbs a floor, on any cycle between parts (on one
// floor as well), and on a part no floor names. `--report` prints the counts and the pairs that import each other.
// docs/ARCHITECTURE.md's table "Floors" says the same (test/docs/core-layers.test.ts compares the two).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Floor {
  name: string;
  parts: readonly string[];
}

/** Bottom first. */
export const FLOORS: readonly Floor[] = [
  {
    name: 'pieces',
    parts: [
      'text',
      'files',
      'timing',
      'processes',
      'credentials',
      'guides',
      'app-version.ts',
      'engine-log.ts',
      'project.ts',
      'host-interface.ts',
    ],
  },
  { name: 'rules', parts: ['graph', 'run-failures', 'provenance'] },
  { name: 'store', parts: ['store', 'database-outage', 'config', 'opening', 'service-state', 'leases', 'secrets'] },
  { name: 'work', parts: ['messages', 'waiting', 'surgery', 'functions', 'executors', 'deciding'] },
  { name: 'runs', parts: ['run-folder', 'worktrees', 'runs', 'cleanup', 'agency', 'agent-loop', 'upstream-sync', 'history', 'chat'] },
  { name: 'coordinator', parts: ['coordinator', 'peers', 'connecting'] },
  { name: 'ops', parts: ['ops', 'agent-daemons'] },
  { name: 'service', parts: ['service', 'events', 'read-only-host.ts', 'host.ts'] },
];

/** From part → to part → each import between them, as `file → imported file`. */
export type Imports = Map<string, Map<string, string[]>>;

const root = join(import.meta.dirname, '..');
const core = join(root, 'src', 'core');

function partOf(file: string): string | undefined {
  const inCore = relative(core, file);
  return inCore.startsWith('..') ? undefined : inCore.split(sep)[0];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import of src/core from one of its parts to another (static, dynamic and re-exports). */
export function readImports(): Imports {
  const config = ts.readConfigFile(join(root, 'tsconfig.node.json'), ts.sys.readFile).config;
  const options = ts.parseJsonConfigFileContent(config, ts.sys, root).options;
  const cache = ts.createModuleResolutionCache(root, (name) => name, options);
  const imports: Imports = new Map();
  for (const file of sourceFiles(core)) {
    const from = partOf(file);
    if (from === undefined) continue;
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const resolved = ts.resolveModuleName(fileName, file, options, ts.sys, cache).resolvedModule;
      if (resolved === undefined) throw new Error(`${relative(root, file)} imports ${fileName}, which does not resolve`);
      const to = partOf(resolved.resolvedFileName);
      if (to === undefined || to === from) continue;
      const targets = imports.get(from) ?? new Map<string, string[]>();
      imports.set(from, targets);
      targets.set(to, [...(targets.get(to) ?? []), `${relative(root, file)} → ${relative(root, resolved.resolvedFileName)}`]);
    }
  }
  return imports;
}

/** The parts of src/core: its folders and loose files. */
export function coreParts(): string[] {
  return readdirSync(core, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() || /\.tsx?$/.test(entry.name))
    .map((entry) => entry.name);
}

/** Tarjan's strongly connected components of more than one part: each a set whose every part reaches every other. */
export function cycles(parts: readonly string[], imports: Imports): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (part: string): void => {
    index.set(part, counter);
    low.set(part, counter);
    counter += 1;
    stack.push(part);
    onStack.add(part);
    for (const next of imports.get(part)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(part, Math.min(low.get(part) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(part, Math.min(low.get(part) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(part) !== index.get(part)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== part);
    if (component.length > 1) found.push(component.sort());
  };
  for (const part of parts) if (!index.has(part)) visit(part);
  return found.sort((a, b) => b.length - a.length);
}

/** What breaks the floors: a part on no floor, an import that climbs, a cycle. One line each. */
export function layerProblems(parts: readonly string[], imports: Imports, floors: readonly Floor[] = FLOORS): string[] {
  const level = new Map(floors.flatMap((floor, at) => floor.parts.map((part) => [part, at] as const)));
  const problems = parts.filter((part) => !level.has(part)).map((part) => `src/core/${part} is on no floor: add it to FLOORS`);
  for (const [from, targets] of imports) {
    for (const [to, lines] of targets) {
      const [fromAt, toAt] = [level.get(from), level.get(to)];
      if (fromAt === undefined || toAt === undefined || toAt <= fromAt) continue;
      problems.push(...lines.map((line) => `climbs from ${floors[fromAt]?.name} to ${floors[toAt]?.name}: ${line}`));
    }
  }
  for (const cycle of cycles(parts, imports)) problems.push(`a cycle of ${cycle.length}: ${cycle.join(', ')}`);
  return problems;
}

/** Pairs of parts that import each other. */
export function mutualPairs(imports: Imports): string[] {
  return [...imports].flatMap(([from, targets]) =>
    [...targets.keys()].filter((to) => from < to && imports.get(to)?.has(from)).map((to) => `${from} ⇄ ${to}`),
  );
}

function main(): void {
  const imports = readImports();
  const parts = coreParts();
  const problems = layerProblems(parts, imports);
  if (process.argv.includes('--report')) {
    const found = cycles(parts, imports);
    const pairs = mutualPairs(imports);
    const climbing = problems.filter((line) => line.startsWith('climbs')).length;
    process.stdout.write(
      `parts: ${parts.length}\nbiggest cycle: ${found[0]?.length ?? 0}${found[0] ? ` (${found[0].join(', ')})` : ''}\ncycles: ${found.length}\n` +
        `pairs importing each other: ${pairs.length}\n${pairs.map((pair) => `  ${pair}\n`).join('')}climbing imports: ${climbing}\n`,
    );
    return;
  }
  if (problems.length === 0) return;
  process.stderr.write(
    `${problems.join('\n')}\ncore-layers: src/core imports only from its own floor and the ones below (docs/ARCHITECTURE.md, "Floors").\n`,
  );
  process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

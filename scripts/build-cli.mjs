// Bundles the `wg` command line (and the daemon it starts) for plain Node, with its dependencies:
// every agent runs `wg` often, and resolving and loading them from node_modules cost about a quarter
// of its start. better-sqlite3's JavaScript is bundled too (13 files of its own loaded at every start, 7.6 ms of CPU
// against 1.6 ms as one bundled file, on Node 20); its native file stays in node_modules, where
// src/core/store/sqlite-connection.ts names it (__WG_BUNDLED_SQLITE__), and `bindings`, which would look for it beside
// the bundle, stays outside.
//
// The bundle is split: `wg` starts by loading only its entry, then the command table, then the
// code of the one command it runs (each `import()` in src/cli is a seam). Rolldown (Vite's bundler, which
// electron-vite already uses for the app) does the splitting: it shakes zod down to what the schemas use
// (190 KB against esbuild's 391 KB) and makes fewer chunks.
//
// The chunks are CommonJS (.cjs), each `import()` becoming a `require` when it runs. Node's ES module loader
// costs a start about 20 ms of CPU on Node 20 (measured with npm run bench:cli, the same bundle as ESM and
// as CommonJS side by side): it reads and links modules asynchronously through fs/promises, which pulls in
// readline and the streams, and resolves every specifier as a URL; and the code `wg` keeps of its chunks is
// kept through the CommonJS loader (src/cli/code-cache.ts). bin/wg.js is CommonJS as well (bin/package.json), so a `wg` start never loads the ES module loader.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { rolldown } from 'rolldown';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * zod's messages in 50 languages are 366 KB, and every start compiled them; this app words its own
 * errors (src/shared/ops/plain-errors.ts) and only ever uses zod's English ones.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  resolveId(source, importer) {
    return /\/locales\/index\.js$/.test(source) && importer?.includes('/node_modules/zod/') ? '\0zod-locales' : null;
  },
  load(id) {
    return id === '\0zod-locales' ? "export { default as en } from 'zod/v4/locales/en.js';" : null;
  },
};

/**
 * commander requires node:child_process at its top, and with it net, dgram and the streams (about 2 ms of
 * every `wg` start), only to run executable subcommands, which `wg` has none of: it is required when used.
 * A commander that no longer has the line fails the build, so an upgrade cannot undo this unseen.
 */
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('/node_modules/commander/lib/command.js')) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager)) this.error(`commander no longer has \`${eager}\`: update ${this.name} in scripts/build-cli.mjs`);
    // The same line count and no line moved, so the source map may stay as it is (an empty mapping says so).
    return {
      code: code.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"),
      map: { mappings: '' },
    };
  },
};

/**
 * kysely builds the store's SQL (src/core/store/query/builder.ts) and never its schema (`db.schema`: create table, alter
 * table…; the store's migrations are SQL of their own), yet kysely.js imports that builder at its top: 89 KB of source
 * compiled at every `wg` start. Here `db.schema` says it is left out. A kysely that no longer has the line
 * fails the build, so an upgrade cannot undo this unseen.
 */
const kyselyWithoutSchemaBuilder = {
  name: 'kysely-without-schema-builder',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('/node_modules/kysely/dist/esm/kysely.js')) return null;
    const eager = "import { SchemaModule } from './schema/schema.js';";
    if (!code.includes(eager)) this.error(`kysely no longer has \`${eager}\`: update ${this.name} in scripts/build-cli.mjs`);
    const stub =
      'class SchemaModule { constructor() { throw new Error("kysely\'s schema builder is left out of wg\'s bundle (scripts/build-cli.mjs)"); } }';
    return { code: code.replace(eager, stub), map: { mappings: '' } };
  },
};

/**
 * Node's loader costs each module it loads about 0.15 ms of CPU besides compiling and running it (80 modules of one line
 * each against one file of 80 lines, on Node 20 and 24), and rolldown's chunks are many and small: a `wg show` loaded 91
 * files. So what a start loads anyway is in a few chunks, each the modules some of its steps import statically
 * (rolldown's groups; a module is kept in the first group that takes it):
 * - `entry`: what the entry imports (`wg --version` loads it and no other);
 * - `start`: the command table (program.ts), which every command loads;
 * - `own-coordinator`: the check that a team's coordinator runs here, made before the store is opened, and the
 *   answer through it if it does (no store is opened then);
 * - `store-start`: opening the project's own store, and the dispatch to an operation;
 * - `task-ops`: the task operations (show, list, log, done…: what agents run most);
 * - `format`: what prints a result for a person (not for --json).
 * A chunk's modules bring the modules they import along, so these are taken in that order: each group keeps what the
 * ones before it took.
 */
const GROUP_ROOTS = {
  entry: ['src/cli/main.ts'],
  start: ['src/cli/program.ts'],
  'own-coordinator': ['src/cli/own-coordinator-op.ts'],
  'store-start': [
    'src/core/opening/open-store.ts',
    'src/core/opening/upstream-graph.ts',
    'src/core/ops/dispatch.ts',
    'src/core/store/task-reads.ts',
    'src/core/upstream-sync/synced-before.ts',
  ],
  'task-ops': ['src/core/ops/task-handlers.ts'],
  format: ['src/cli/format-result/index.ts'],
};
/** Each group's modules, found once the graph is built: the static imports of its roots, less earlier groups' modules. */
const groupModules = new Map(Object.keys(GROUP_ROOTS).map((name) => [name, new Set()]));
const startGroups = {
  name: 'start-groups',
  buildEnd() {
    const taken = new Set();
    for (const [name, roots] of Object.entries(GROUP_ROOTS)) {
      const next = roots.map((root) => resolve(root));
      for (let id = next.pop(); id !== undefined; id = next.pop()) {
        if (taken.has(id)) continue;
        const info = this.getModuleInfo(id);
        if (!info) this.error(`${id}, a root of the ${name} chunk, is not in the bundle: update GROUP_ROOTS in scripts/build-cli.mjs`);
        taken.add(id);
        groupModules.get(name).add(id);
        next.push(...info.importedIds);
      }
    }
  },
};
const MAIN = resolve('src/cli/main.ts');
/**
 * node-postgres and the store's modules that speak to it, loaded only for a team's graph: a chunk of their own, holding
 * nothing else. Left to itself, rolldown put small modules the coordinator imports too (its hop trace, the fence's
 * error) in the driver's chunk, and every coordinator loaded the driver for them (about 16 ms of CPU a start).
 */
const POSTGRES_DRIVER =
  /[\\/]node_modules[\\/](pg|pg-[\w-]+|pgpass|postgres-[\w-]+|split2|xtend)[\\/]|[\\/]src[\\/]core[\\/]store[\\/]postgres[\\/](pg-connection|pg-session|pg-errors|client-config)\.ts$/;

rmSync('out/cli', { recursive: true, force: true });
const bundle = await rolldown({
  input: { wg: 'src/cli/main.ts' },
  platform: 'node',
  external: ['bindings', 'electron', /^node:/],
  plugins: [zodEnglishOnly, commanderLazyChildProcess, kyselyWithoutSchemaBuilder, startGroups],
  // The postgres group leaves its modules' imports to other chunks (the entry's exports are no one's interface).
  preserveEntrySignatures: 'allow-extension',
  transform: { define: { __WG_VERSION__: JSON.stringify(version), __WG_BUNDLED_SQLITE__: 'true' }, target: 'node20.19' },
  logLevel: 'warn',
});
await bundle.write({
  dir: 'out/cli',
  format: 'cjs',
  entryFileNames: '[name].cjs',
  // Chunks sit beside the entry, so a module's own folder is out/cli/ wherever it lands (lifeline.sh is read from there).
  chunkFileNames: '[name]-[hash].cjs',
  codeSplitting: {
    // main.ts stays the entry; the modules it imports are the `entry` chunk, else those that the command table imports too
    // would go into `start` with it, and `wg --version` would load the whole table.
    groups: [
      ...Object.keys(GROUP_ROOTS).map((name, index) => ({
        name,
        test: (id) => groupModules.get(name).has(id) && id !== MAIN,
        priority: Object.keys(GROUP_ROOTS).length + 1 - index,
      })),
      { name: 'postgres', test: POSTGRES_DRIVER, priority: 1, includeDependenciesRecursively: false },
    ],
  },
  sourcemap: true,
  // Without comments and with every other character escaped, each chunk is ASCII: V8 keeps its source one byte a
  // character and scans it faster (a chunk with one "—" in a comment was held two bytes a character), and a start
  // reads a sixth less (npm run bench:cli). The source maps keep the comments.
  comments: false,
  charset: 'ascii',
});
await bundle.close();

// The agent daemon's jobs run under this shell script, found beside the bundle (src/agentd/lifeline.ts).
mkdirSync('out/cli', { recursive: true });
copyFileSync('src/agentd/lifeline.sh', 'out/cli/lifeline.sh');

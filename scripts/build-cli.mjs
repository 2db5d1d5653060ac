// Bundles the `wg` command line (and the daemon it starts) for plain Node, with its dependencies:
// every agent runs `wg` often, and resolving and loading them from node_modules cost about a quarter
// of its start (0.17 against 0.22 s for `wg show`, median of 5). better-sqlite3 stays outside (native,
// rebuilt per runtime); CommonJS dependencies get a `require` for the Node built-ins they load.
//
// The bundle is split (issue 30): `wg` starts by loading only its entry, then the command table, then the
// code of the one command it runs (each `import()` in src/cli is a seam). A start used to compile all 2.9 MB.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * zod's messages in 50 languages are 366 KB of the bundle, and every start compiled them; this app words
 * its own errors (src/shared/ops/plain-errors.ts) and only ever uses zod's English ones.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(builder) {
    builder.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: process.cwd(),
    }));
  },
};

rmSync('out/cli', { recursive: true, force: true });
await build({
  entryPoints: { wg: 'src/cli/main.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  // Chunks sit beside the entry, so a module's own folder is out/cli/ wherever it lands (lifeline.sh is read from there).
  chunkNames: '[name]-[hash]',
  define: { __WG_VERSION__: JSON.stringify(version) },
  plugins: [zodEnglishOnly],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external: ['better-sqlite3', 'electron'],
  banner: { js: "import { createRequire as __wgCreateRequire } from 'node:module'; const require = __wgCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The agent daemon's jobs run under this shell script, found beside the bundle (src/agentd/lifeline.ts).
mkdirSync('out/cli', { recursive: true });
copyFileSync('src/agentd/lifeline.sh', 'out/cli/lifeline.sh');

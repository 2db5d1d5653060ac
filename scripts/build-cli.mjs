// Bundles the `wg` command line (and the daemon it starts) for plain Node.
// Dependencies stay external: better-sqlite3 is native and the rest are resolved from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: { wg: 'src/cli/main.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

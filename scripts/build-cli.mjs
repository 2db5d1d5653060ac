// Bundles the `wg` command line (and the daemon it starts) for plain Node, with its dependencies:
// every agent runs `wg` often, and resolving and loading them from node_modules cost about a quarter
// of its start (0.17 against 0.22 s for `wg show`, median of 5). better-sqlite3 stays outside (native,
// rebuilt per runtime); CommonJS dependencies get a `require` for the Node built-ins they load.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: { wg: 'src/cli/main.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
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

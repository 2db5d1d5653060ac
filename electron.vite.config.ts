import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { preloadDynamicEntry } from './scripts/preload-dynamic-entry';

// main and preload run in Electron; the renderer is a plain web app (also served by the daemon in browser mode).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // ES module (package.json has type: module); dependencies stay external, loaded from node_modules
      // (better-sqlite3 is native and must be the Electron build there, see electron-builder.yml).
      rolldownOptions: { input: { index: resolve('src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload is CommonJS and can require nothing but 'electron': bundle everything
      // else in, and name it .cjs since package.json says type: module.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    // main.tsx is a small boot chunk that imports the app (start-app.tsx): preload the app with it.
    plugins: [react(), preloadDynamicEntry('src/renderer/start-app.tsx')],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified by default; minified, the main chunk is half the size.
      // WG_NO_MINIFY=1 keeps names for profiling (test/bench/ui/profile-run.ts).
      minify: !process.env.WG_NO_MINIFY,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});

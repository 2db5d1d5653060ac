#!/usr/bin/env node
// The `wg` command: the bundled CLI built by `npm install` (prepare) or `npm run build:cli`.
import('../out/cli/wg.mjs').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('out/cli/wg.mjs')) {
    console.error('wg: not built yet; run `npm run build:cli`');
  } else {
    console.error(`wg: ${error?.message ? error.message : error}`);
  }
  process.exit(1);
});

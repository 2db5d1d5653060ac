#!/usr/bin/env node
// The `wg` command: the bundled CLI built by `npm install` (prepare) or `npm run build:cli`.
// CommonJS (bin/package.json says so): an ES module entry would load Node's ES module loader, a fifth of a start.
const BUNDLE = require('node:path').join(__dirname, '..', 'out', 'cli', 'wg.cjs');
try {
  require(BUNDLE);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(BUNDLE)) {
    console.error('wg: not built yet; run `npm run build:cli`');
  } else {
    console.error(`wg: ${error?.message ? error.message : error}`);
  }
  process.exit(1);
}

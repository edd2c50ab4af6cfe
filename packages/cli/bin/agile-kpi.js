#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in ../dist (built by `npm ci` through the root `prepare` script).
let main;
try {
  ({ main } = require('../dist/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('agile-kpi: the CLI is not built yet. Run `npm run build` at the repository root.\n');
    process.exit(2);
  }
  throw err;
}
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });

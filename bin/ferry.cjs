#!/usr/bin/env node
// The `ferry` command: loads the CLI bundle that `npm run build` writes to dist-node/cli.cjs.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist-node', 'cli.cjs');
if (!existsSync(bundle)) {
  process.stderr.write(`ferry: ${bundle} is missing. Run \`npm run build\` in ${join(__dirname, '..')} first.\n`);
  process.exit(1);
}
require(bundle);

#!/usr/bin/env node
// The `idsync` command line: `npx idsync <command>`.
require('./register.js');
require('./cli.ts');

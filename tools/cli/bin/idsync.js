#!/usr/bin/env node
// `npx idsync <command>`: runs the TypeScript command line through the project's SWC register.
require('../../register.js');
require('../src/cli.ts');

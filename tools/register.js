// Runs TypeScript sources directly with SWC (keeps decorator metadata, which NestJS DI needs,
// and resolves the @idsync/* path aliases from tsconfig.base.json).
const path = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');

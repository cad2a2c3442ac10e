// Three test tiers (see docs/ARCHITECTURE.md#tests):
//   unit        *.spec.ts beside the code, pure and fast
//   integration *.int-spec.ts against real Postgres, NATS, slapd, SMTP (one schema/stream per file)
//   e2e         e2e/**/*.e2e-spec.ts drives the running system through the gateway
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};
// NestJS 12 ships ES modules only: Node 20 requires them natively, jest's module system does
// not, so jest compiles them (and the ESM-only packages they import) to CommonJS with SWC.
const esmOnly = ['@nestjs', 'uid', 'file-type', 'strtok3', 'token-types', 'peek-readable', '@tokenizer'];
const common = {
  rootDir: __dirname,
  transform: { ...transform, '^.+\\.m?js$': transform['^.+\\.ts$'] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/tmp/', '<rootDir>/dist/'],
};

module.exports = {
  // Jest 30 reads testTimeout at the top level only; e2e files raise it with jest.setTimeout.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,tools}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{libs,services,tools}/**/*.int-spec.ts'], testTimeout: 60000 },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'], testTimeout: 300000 },
  ],
};

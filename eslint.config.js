// Lint rules that encode the house's important rules (see docs/ARCHITECTURE.md):
//  - a service never imports another service (only the embedded launcher composes them);
//  - contracts import no framework; domain code imports no infrastructure;
//  - every library is reached through its public entry point.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');
const idsync = require('./tools/eslint');

const frameworks = ['@nestjs/*', 'typeorm', 'pg', '@nats-io/*', 'ldapts', 'nodemailer', 'express', '@electric-sql/*'];

// Who may import whom. `forTests` lets test files also use the testing library.
function boundaries(forTests) {
  const t = (tags) => (forTests ? [...tags, 'type:testing'] : tags);
  const scopes = ['gateway', 'connector', 'preparation', 'synchronization', 'workflow', 'history', 'notification', 'cli'];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: frameworks },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: t(['type:domain', 'type:util']), bannedExternalImports: forTests ? [] : frameworks },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: t(['type:util']) },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: t(['type:contracts', 'type:util', 'type:data-access']) },
      { sourceTag: 'type:connector', onlyDependOnLibsWithTags: t(['type:connector', 'type:util', 'type:domain']) },
      { sourceTag: 'type:testing', notDependOnLibsWithTags: ['type:app', 'type:launcher'] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: t(['type:contracts', 'type:data-access', 'type:domain', 'type:connector', 'type:util']) },
      { sourceTag: 'type:launcher', onlyDependOnLibsWithTags: t(['type:app', 'type:contracts', 'type:data-access', 'type:util']) },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      ...scopes.map((s) => ({ sourceTag: `scope:${s}`, onlyDependOnLibsWithTags: ['scope:shared', `scope:${s}`] })),
    ],
  };
}

module.exports = [
  { ignores: ['**/node_modules', '**/dist', '**/tmp', '**/gen/**', '.nx', 'coverage', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx, idsync },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'idsync/guarded-endpoints': 'error',
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(true)] },
  },
  {
    // Tests may use the testing library; production code may not.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', 'e2e/**', 'libs/shared/testing/**', 'libs/shared/testing-platform/**', 'tools/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: '@idsync/testing', message: 'test helpers are for tests only' }] }] },
  },
];

// Test files are compiled to CommonJS by swc and Jest runs under
// --experimental-vm-modules so that require() can load the ESM-only Nest 12
// and MikroORM 7 packages natively (see docs/decisions.md).
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc.jest.json`, 'utf8'));

const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.tsx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  moduleNameMapper: {
    '^@lssm/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@lssm/([a-z-]+)/([a-z-]+)$': '<rootDir>/libs/$1/src/$2/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testEnvironment: 'node',
};

module.exports = {
  ...shared,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.{ts,tsx}'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/libs/*/test/**/*.integration-spec.{ts,tsx}'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tier.setup.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/api/test/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tier.setup.ts'],
    },
  ],
};

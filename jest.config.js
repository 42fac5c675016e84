/**
 * Jest: ts-jest on the sources, unit tests next to the code, e2e tests in test/; `dist/` is
 * rebuilt before the run when it is older than the sources, for the tests that spawn it.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/setup/build-dist.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};

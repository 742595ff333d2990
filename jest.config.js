/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is done once by `npm run typecheck` (tsc); jest only transpiles (fast, parallel).
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
  },
  // One worker per core. Jest's default is cores - 1, i.e. a single worker on a 2-core machine, which leaves the
  // suites that load aws-cdk-lib running one after the other. JEST_MAX_WORKERS overrides (e.g. on a busy CI host).
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '100%',
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};

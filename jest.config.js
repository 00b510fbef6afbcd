// Two projects: fast unit tests beside the sources, and e2e tests that share one real cluster per run.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // Specifiers stay '.ts' under Jest, which loads the sources themselves; tsc rewrites them to '.js' for dist/.
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { rewriteRelativeImportExtensions: false } }],
  },
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/controllers/**/*.test.ts', '<rootDir>/e2e/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
      globalSetup: '<rootDir>/e2e/harness/global-setup.ts',
      globalTeardown: '<rootDir>/e2e/harness/global-teardown.ts',
    },
  ],
  // e2e tests wait on real controllers (namespace deletion alone takes 5-10 s); unit tests finish far sooner.
  testTimeout: 120000,
  // One file at a time: e2e files share one cluster and its singletons (IstioCNI and ZTunnel are named default).
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/e2e/harness/summary-reporter.js'],
};

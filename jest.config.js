// Projects: `unit` (pure logic, no servers); `workflow` (the real workflows on a time-skipping
// test server over an in-memory fake cluster, no Kubernetes; the few tests the Java test server
// cannot serve use a dev server of their own on a free port; the global setup installs both once); `integration`, `e2e` (CLI, bridge, kubectl) and
// `resilience` (faults) run against the real Temporal dev server and the real local cluster,
// started once per run by the global setup. ESM throughout, so jest
// runs under `node --experimental-vm-modules` (see package.json scripts).
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
};
const common = {
  preset: 'ts-jest/presets/default-esm',
  extensionsToTreatAsEsm: ['.ts'],
  transform: tsJest,
  // Source imports use the `.js` suffix that Node's ESM resolution needs; map it back to `.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  // .state/ holds the local cluster's etcd data, whose `*.snap` files jest would otherwise read
  // as obsolete snapshots (and fail the run); .tools/ and the Python venv are not ours to scan.
  modulePathIgnorePatterns: ['<rootDir>/.state/', '<rootDir>/clients/python/.venv/', '<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.state/'],
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], globalSetup: '<rootDir>/test/build-setup.ts' },
    {
      ...common,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
      globalSetup: '<rootDir>/test/workflow/global-setup.ts',
    },
    ...['integration', 'e2e', 'resilience'].map((name) => ({
      ...common,
      displayName: name,
      testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/setup-timeout.ts'],
      slowTestThreshold: 60,
    })),
  ],
};

// Two projects: `unit` (pure, no I/O, *.test.ts) and `integration` (real emulators, *.int.test.ts).
// @swc/jest strips types only; `npm run typecheck` is the type gate.
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];
// p-limit and its dependency ship ESM only; jest's CommonJS runtime needs them transformed.
const esmOnly = ['p-limit', 'yocto-queue'];
const shared = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // Local state, build output and scratch folders never hold tests of ours.
  modulePathIgnorePatterns: ['<rootDir>/.liveinsight/', '<rootDir>/cdk.out/', '<rootDir>/dist/'],
};
const ignored = [
  '/node_modules/',
  '<rootDir>/.liveinsight/',
  '<rootDir>/cdk.out/',
  '<rootDir>/dist/',
];

/** @type {import('jest').Config} */
module.exports = {
  // Two workers on the 2-core CI machine (jest's default there is one): most integration files wait
  // on emulators, a browser or a 60 s soak, so a second file runs beside them. Integration files
  // use their own resources (localstack/testing), so they do not see each other. Measured on a
  // fresh clone: the whole jest run 374 s with two workers against ~550 s with one.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  // One scratch folder (TMPDIR) per run; teardown fails the run if a test left a folder in it.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [...ignored, '\\.int\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      // The local AWS starts once per jest run; files get isolated resources (localstack/testing).
      globalSetup: '<rootDir>/localstack/testing/global-setup.ts',
      globalTeardown: '<rootDir>/localstack/testing/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/localstack/testing/integration-timeout.ts'],
      testPathIgnorePatterns: ignored,
      testTimeout: 60000,
    },
  ],
};

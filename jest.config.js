/** One Jest run across all workspaces; TypeScript through @swc/jest (type checking is `tsc -b`, run before). */
const swc = (tsx) => ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx }, target: 'es2022', transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test', '<rootDir>/src', '<rootDir>/static'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.ts$': swc(false),
    '^.+\\.tsx$': swc(true),
  },
  moduleNameMapper: {
    '^@agile-kpi/(core|testkit|cli|jira|store|azure-devops|tracker-client|presentation|dashboard|report|hosted-service)$': '<rootDir>/packages/$1/src/index.ts',
    // Subpath entries (package.json `exports`) from their source too: one copy of each module in a test run.
    '^@agile-kpi/report/notify$': '<rootDir>/packages/report/src/notify.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/build/'],
  testTimeout: 60000,
};

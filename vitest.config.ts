import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.tmp/**', 'test/fixtures/**'],
    // e2e tests compile and run real projects: generous limits, and no more parallel files than the 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // GitHub's workflow parser imports its JSON schema without an import attribute, which Node 20 refuses: let
    // vitest transform it instead of loading it natively.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});

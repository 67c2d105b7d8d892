import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The reliability suite has its own run (npm run test:reliability, vitest.reliability.config.ts).
    exclude: [...configDefaults.exclude, "test/reliability/**"],
    // Migrated PGlite snapshot for database tests, and the report of which databases ran.
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    // expect.poll waits for what a test expects to happen (a row gone, a page updated). Its 1 s
    // default is short when two test files, PostgreSQL and chromium share CI's two cores; waiting
    // longer costs nothing when the expectation holds, and a broken one still fails.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    // PGlite takes seconds to start: keep the worker count at the machine's two cores.
    maxWorkers: 2,
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Migrated PGlite snapshot for database tests, and the report of which databases ran.
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite takes seconds to start: keep the worker count at the machine's two cores.
    maxWorkers: 2,
  },
});

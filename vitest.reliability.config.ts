import { defineConfig } from "vitest/config";

// `npm run test:reliability`: the regression tests of issue 11 that also measure and print figures
// (fuzz of the filters against the API, event-loop delay under adversarial input, kill -9 during a
// write, cross-organization probe). One file at a time: they measure the event loop and time.
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ first when a source is newer: the process tests run the built programs, as `npm start` does.
    globalSetup: ["test/global-setup.ts"],
    // Integration tests share one Redis and start real servers; two cores do not gain from more workers.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

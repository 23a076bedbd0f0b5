import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // "server-only" throws outside React Server Components; tests run domain code directly.
      "server-only": path.resolve(import.meta.dirname, "test/server-only-noop.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    env: {
      APP_ENV: "development",
      SESSION_SECRET: "vitest-session-secret-that-is-long-enough-123456",
      GATEHOUSE_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
      PUBLIC_URL: "http://localhost:3000",
    },
    hookTimeout: 60_000,
  },
});

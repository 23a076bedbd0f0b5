import { defineConfig } from "vitest/config";
import path from "node:path";

const shared = {
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // "server-only" throws outside React Server Components; tests run domain code directly.
      "server-only": path.resolve(import.meta.dirname, "test/server-only-noop.ts"),
    },
  },
};

const env = {
  APP_ENV: "development",
  SESSION_SECRET: "vitest-session-secret-that-is-long-enough-123456",
  GATEHOUSE_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  PUBLIC_URL: "http://localhost:3000",
  // The JSON lines of security events (README "Security log") would drown the test output.
  SECURITY_LOG: "off",
};

// Two projects: every test on SQLite, and every test that touches the
// database again on PostgreSQL (PG_TEST_URL; `npm test` starts a throwaway
// cluster when none is given). `vitest run --project sqlite` runs one.
export default defineConfig({
  test: {
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        ...shared,
        extends: true,
        test: {
          name: "sqlite",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
          env: { ...env, TEST_DB_PROVIDER: "sqlite" },
        },
      },
      {
        ...shared,
        extends: true,
        test: {
          name: "postgres",
          include: ["lib/server/**/*.test.ts", "test/**/*.test.ts"],
          env: { ...env, TEST_DB_PROVIDER: "postgres" },
          globalSetup: ["test/postgres-global-setup.ts"],
        },
      },
    ],
  },
});

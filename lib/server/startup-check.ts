import "server-only";
import { getConfig } from "./config";
import { formatConfigErrors } from "@/lib/config/check-config";
import { secretsBackendStartupProblems } from "./secrets/backends/select-backend";

/** Exit the process (non-zero, every problem named) when the configuration is unusable. */
export function assertConfigAtStartup(): void {
  try {
    const config = getConfig();
    const problems = secretsBackendStartupProblems(config.secretsBackend);
    if (problems.length > 0) throw new Error(formatConfigErrors(problems));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

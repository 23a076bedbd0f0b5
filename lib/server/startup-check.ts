import "server-only";
import { getConfig } from "./config";

/** Exit the process (non-zero, every problem named) when the configuration is unusable. */
export function assertConfigAtStartup(): void {
  try {
    getConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

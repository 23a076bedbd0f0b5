import "server-only";
import { checkConfig, formatConfigErrors } from "@/lib/config/check-config";
import type { AppConfig } from "@/lib/config/parse-env";

let cached: AppConfig | null = null;

/**
 * The validated configuration. The only reader of process.env in the app.
 * Throws (with every problem named) when the configuration is unusable, which
 * instrumentation.ts turns into a refusal to start.
 */
export function getConfig(): AppConfig {
  if (cached) return cached;
  const outcome = checkConfig(process.env, process.cwd());
  if (!outcome.ok) throw new Error(formatConfigErrors(outcome.errors));
  for (const w of outcome.warnings) console.warn(`[gatehouse] configuration warning: ${w}`);
  cached = outcome.config;
  return cached;
}

export type { AppConfig };

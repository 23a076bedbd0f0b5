import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * The surface matrix (README "Surface matrix"): every route and page file
 * under app/ belongs to exactly one family, which says how it is
 * authenticated. test/surface-matrix.test.ts fails on a file no family
 * claims, and e2e/security/surface-matrix.spec.ts sends each an
 * unauthenticated request over HTTP and checks the family's refusal.
 */
export type SurfaceAuth = "none" | "api_key" | "signature" | "session" | "next_auth" | "pre_auth";

export interface SurfaceFamily {
  id: string;
  /** As the README's matrix names it (the test checks the README lists every family this way). */
  label: string;
  /** Matched against the file's path under app/, route groups kept: `(console)/audit/page.tsx`. */
  file: RegExp;
  auth: SurfaceAuth;
}

export const SURFACE_FAMILIES: readonly SurfaceFamily[] = [
  { id: "health", label: "`/api/health`, `/api/health/live`", file: /^api\/health\/(live\/)?route\.ts$/, auth: "none" },
  { id: "health-secrets", label: "`/api/v1/health/secrets`", file: /^api\/v1\/health\/secrets\/route\.ts$/, auth: "none" },
  { id: "openapi", label: "`/api/v1/openapi.json`", file: /^api\/v1\/openapi\.json\/route\.ts$/, auth: "none" },
  { id: "integrations", label: "`/api/v1/integrations/*`", file: /^api\/v1\/integrations\//, auth: "signature" },
  { id: "api-v1", label: "`/api/v1/*`", file: /^api\/v1\//, auth: "api_key" },
  { id: "docs", label: "`/api/docs`", file: /^api\/docs\//, auth: "none" },
  { id: "next-auth", label: "`/api/auth/*`", file: /^api\/auth\//, auth: "next_auth" },
  { id: "session-api", label: "`/api/session`", file: /^api\/session\/route\.ts$/, auth: "session" },
  { id: "console", label: "console pages and their routes", file: /^\(console\)\/|^no-organization\/page\.tsx$|^page\.tsx$/, auth: "session" },
  { id: "auth-pages", label: "`/sign-in`, `/setup`, `/invite/*`, `/two-factor`", file: /^\(auth\)\//, auth: "pre_auth" },
];

export interface SurfaceFile {
  /** Path under app/, with route groups: `(console)/audit/export/route.ts`. */
  file: string;
  kind: "route" | "page";
  /** The URL path, route groups dropped and dynamic segments filled with `x`: `/audit/x`. */
  url: string;
}

const APP_DIR = path.resolve(__dirname, "..", "..", "app");

/** Every route.ts and page.tsx under app/, found by walking the folder. */
export function surfaceFiles(dir = APP_DIR, rel: string[] = []): SurfaceFile[] {
  const out: SurfaceFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...surfaceFiles(path.join(dir, entry.name), [...rel, entry.name]));
    else if (/^(route|page)\.(ts|tsx|js|mjs)$/.test(entry.name)) {
      const segments = rel.filter((s) => !/^\(.+\)$/.test(s)).map((s) => (/^\[.+\]$/.test(s) ? "x" : s));
      out.push({ file: [...rel, entry.name].join("/"), kind: entry.name.startsWith("route") ? "route" : "page", url: `/${segments.join("/")}` });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** The family that claims a file (the first that matches), or null. */
export function familyOf(file: string): SurfaceFamily | null {
  return SURFACE_FAMILIES.find((f) => f.file.test(file)) ?? null;
}

import { readdirSync } from "node:fs";
import path from "node:path";
import { RESOURCE_TYPES } from "@/lib/resources/registry";

export const API_V1_DIR = path.resolve(__dirname, "..", "..", "app", "api", "v1");
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
type Handler = (req: Request, route: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;

export interface ApiRouteFile {
  /** The file, absolute. */
  file: string;
  /** The OpenAPI form of its path: `/api/v1/keys/{id}/roll`. */
  openApiPath: string;
  /** Dynamic segments, in order (`[id]` → `id`). */
  params: string[];
}

/** Every route.ts under app/api/v1, found by walking the folder (a new route is picked up without a list to update). */
export function apiRouteFiles(dir = API_V1_DIR, segments: string[] = []): ApiRouteFile[] {
  const found: ApiRouteFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...apiRouteFiles(path.join(dir, entry.name), [...segments, entry.name]));
    else if (/^route\.(ts|tsx|js|mjs)$/.test(entry.name)) {
      const params = segments.filter((s) => /^\[.+\]$/.test(s)).map((s) => s.replace(/^\[+\.{0,3}|\]+$/g, ""));
      const openApiPath = `/api/v1/${segments.map((s) => (/^\[.+\]$/.test(s) ? `{${s.replace(/^\[+\.{0,3}|\]+$/g, "")}}` : s)).join("/")}`.replace(/\/$/, "");
      found.push({ file: path.join(dir, entry.name), openApiPath, params });
    }
  }
  return found.sort((a, b) => a.openApiPath.localeCompare(b.openApiPath));
}

const REFUSES_METHOD = Symbol.for("gatehouse.refusesMethod");

/** The HTTP method handlers a route module exports: those that serve (`refused: false`) or those that answer 405 (`otherMethods`). */
export async function routeHandlers(route: ApiRouteFile, { refused = false } = {}): Promise<Partial<Record<HttpMethod, Handler>>> {
  const mod: Record<string, unknown> = await import(route.file);
  const handlers: Partial<Record<HttpMethod, Handler>> = {};
  for (const method of HTTP_METHODS) {
    const candidate = mod[method];
    if (typeof candidate === "function" && Boolean((candidate as { [REFUSES_METHOD]?: boolean })[REFUSES_METHOD]) === refused) handlers[method] = candidate as Handler;
  }
  return handlers;
}

/**
 * The concrete OpenAPI paths a route file serves: a `[plural]` segment stands
 * for every resource type of the registry (`/api/v1/props/{id}`, …).
 */
export function documentedPathsOf(route: ApiRouteFile): string[] {
  if (!route.params.includes("plural")) return [route.openApiPath];
  return RESOURCE_TYPES.map((def) => route.openApiPath.replace("{plural}", def.plural));
}

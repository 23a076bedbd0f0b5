import "server-only";
import { resourceType, type ResourceDefinition } from "@/lib/resources/registry";

import type { PublicResource } from "@/lib/resources/public-resource";

export type { PublicResource };

interface ResourceRow {
  id: string;
  type: string;
  name: string;
  data: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The stored fields of a row, read with its type's schema so fields added to
 * the registry later get their defaults. Data that no longer fits the schema
 * is still shown as stored (reading never fails); saving it validates again.
 */
export function storedFields(def: ResourceDefinition, data: string): Record<string, unknown> {
  let raw: unknown = {};
  try {
    raw = JSON.parse(data);
  } catch {
    // Unreadable data shows as empty fields; saving the resource writes it anew.
  }
  const parsed = def.fields.safeParse(raw);
  const source: Record<string, unknown> = parsed.success ? parsed.data : typeof raw === "object" && raw !== null ? { ...raw } : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(def.fields.shape)) if (source[key] !== undefined && source[key] !== null) out[key] = source[key];
  return out;
}

/** Drop unset fields, so stored JSON holds only values. */
export function definedFields(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null));
}

export function toPublicResource(row: ResourceRow): PublicResource {
  const def = resourceType(row.type);
  const fields = def ? storedFields(def, row.data) : {};
  const shown: Record<string, unknown> = {};
  for (const key of def ? Object.keys(def.fields.shape) : []) shown[key] = fields[key] ?? null;
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    ...shown,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

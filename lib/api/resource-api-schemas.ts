import { z } from "zod";
import { RESOURCE_NAME_SCHEMA, type AnyResourceType } from "@/lib/resources/registry";

/**
 * The REST schemas of one registry resource type, for the OpenAPI document.
 *
 * SWITCH POINT: the resource routes (/api/v1/<plural>, /api/v1/<plural>/{id})
 * will validate with `resourceApiSchemas(def)` from lib/validations/resources.ts.
 * Until that exists on this branch, the schemas below are derived from the
 * registry's fields the same way; once it does, replace the body of
 * `resourceApiSchemas` here with a call to it (the document reads nothing else),
 * so the docs and the routes share one definition.
 */
export interface ResourceApiSchemas {
  /** POST /api/v1/<plural> */
  create: z.ZodType;
  /** PATCH /api/v1/<plural>/{id}: keys left out stay, `null` clears a field. */
  update: z.ZodType;
  /** GET /api/v1/<plural>?limit=&cursor= */
  listQuery: z.ZodObject;
  /** A resource as every answer shows it. */
  resource: z.ZodType;
}

/** A field's schema without its optional/default wrapper. */
function baseOf(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
  return current;
}

const cache = new Map<string, ResourceApiSchemas>();

export function resourceApiSchemas(def: AnyResourceType): ResourceApiSchemas {
  const cached = cache.get(def.type);
  if (cached) return cached;
  const fields = Object.entries(def.fields.shape as Record<string, z.ZodType>);
  const schemas: ResourceApiSchemas = {
    create: z.object({ name: RESOURCE_NAME_SCHEMA, ...def.fields.shape }),
    update: z.object({
      name: RESOURCE_NAME_SCHEMA.optional(),
      ...Object.fromEntries(fields.map(([key, field]) => [key, baseOf(field).nullable().optional()])),
    }),
    listQuery: z.object({
      limit: z.coerce.number().int().min(1).max(100).optional().describe("At most this many items (1–100)."),
      cursor: z.string().max(200).optional().describe("The `next_cursor` of the previous page."),
    }),
    resource: z.object({
      id: z.string(),
      type: z.literal(def.type),
      name: z.string(),
      ...Object.fromEntries(fields.map(([key, field]) => [key, baseOf(field).nullable()])),
      created_at: z.iso.datetime(),
      updated_at: z.iso.datetime(),
    }),
  };
  cache.set(def.type, schemas);
  return schemas;
}

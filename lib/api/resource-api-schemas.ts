import type { z } from "zod";
import type { AnyResourceType } from "@/lib/resources/registry";
import { resourceApiSchemas as routeSchemas, resourceListQuerySchema } from "@/lib/validations/resources";

/**
 * The REST schemas of one registry resource type for the OpenAPI document:
 * exactly the schemas the resource routes validate with
 * (lib/validations/resources.ts), so the docs cannot drift from the routes.
 * They carry their component ids (`Prop`, `PropList`, `PropCreate`, …).
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
  /** A page of resources with `next_cursor`. */
  list: z.ZodType;
}

export function resourceApiSchemas(def: AnyResourceType): ResourceApiSchemas {
  const s = routeSchemas(def);
  return { create: s.create, update: s.update, listQuery: resourceListQuerySchema, resource: s.item, list: s.list };
}

import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/server/errors";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { resourceType, type ResourceDefinition } from "@/lib/resources/registry";

/** The registry entry of `type`; an unknown type is reported like a missing resource. */
export function resolveResourceType(type: string): ResourceDefinition {
  const def = resourceType(type);
  if (!def) throw new AppError("not_found", "That resource type does not exist.");
  return def;
}

/** Zod issues as field errors keyed by path (`_form` for the object itself). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    const messages = (out[key] ??= []);
    if (!messages.includes(issue.message)) messages.push(issue.message);
  }
  return out;
}

export function invalidResource(fieldErrors: Record<string, string[]>): AppError {
  return new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors });
}

/** Another organization's id, an id of another type and a missing id all read the same. */
export function resourceNotFound(def: ResourceDefinition): AppError {
  return new AppError("not_found", `That ${def.label.toLowerCase()} does not exist.`);
}

/**
 * For the write that can hit the (organization, type, name) unique index:
 * turn its violation into a conflict on `name`. The index is the only check,
 * so two parallel saves of one name cannot both succeed.
 */
export function nameConflictOr(def: ResourceDefinition, name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", `Another ${def.label.toLowerCase()} is already named "${name}".`, {
        fieldErrors: { name: [`Another ${def.label.toLowerCase()} already has this name.`] },
      });
    }
    throw error;
  };
}

import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { parseSecretReferences } from "@/lib/job-env/secret-references";
import { propSecretScopes, type PropTarget } from "./job-env-target";

/**
 * Save-time check of a value: it parses (`{{secrets.NAME}}`, `\{{` escapes),
 * and every referenced secret exists where the variable will be resolved: for
 * a Prop's override, in the Prop's scopes (its workspace, that team, the
 * organization); for an organization-wide variable, at some scope of the
 * organization (which one supplies it depends on each Prop's workspace, and
 * resolve time checks again). validation_failed on `value` otherwise, naming
 * the references, never echoing the value. Returns the referenced names.
 */
export async function checkJobEnvValue(tx: Tx, orgId: string, prop: PropTarget | null, value: string): Promise<string[]> {
  const parsed = parseSecretReferences(value);
  if (!parsed.ok) throw invalidValue(parsed.errors);
  if (parsed.names.length === 0) return [];
  const scopeKeys = prop ? await propSecretScopes(tx, orgId, prop) : null;
  const found = await tx.secret.findMany({
    where: { organizationId: orgId, name: { in: parsed.names }, ...(scopeKeys ? { scopeKey: { in: scopeKeys } } : {}) },
    select: { name: true },
  });
  const known = new Set(found.map((s) => s.name));
  const unknown = parsed.names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const where = prop ? `visible to prop ${prop.name}` : "in this organization";
    throw invalidValue(unknown.map((n) => `{{secrets.${n}}}: no secret named ${n} ${where}.`));
  }
  return parsed.names;
}

function invalidValue(messages: string[]): AppError {
  return new AppError("validation_failed", `The value has a reference that cannot be resolved: ${messages.join(" ")}`, { fieldErrors: { value: messages } });
}

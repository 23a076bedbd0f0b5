import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { substituteSecrets } from "@/lib/job-env/secret-references";
import { openSecretValues } from "@/lib/server/secrets/open-secret-values";
import type { SecretsBackend } from "@/lib/server/secrets/backends/types";
import type { SecretViewer } from "@/lib/server/secrets/secret-access";
import { effectiveJobEnv } from "./effective-job-env";

export interface ResolvedJobEnv {
  prop: { id: string; name: string; workspaceId: string | null };
  /** Name → value, ready to inject into a run. */
  env: Record<string, string>;
  variables: { name: string; source: "organization" | "override"; secrets: { name: string; scope: string }[] }[];
}

/**
 * The environment of a run of `propId`, values included: overrides win over
 * organization values; each `{{secrets.NAME}}` is replaced by the value of the
 * narrowest secret of that name from the Prop's workspace upward. Substituted
 * values are never parsed again (no recursion). A reference that no longer
 * resolves (a secret deleted since the save) or a value that no longer parses
 * is validation_failed naming the variables, and nothing is decrypted.
 * Audited (`job_env.resolved`, in the transaction that decrypts) with the
 * variable and secret names, never a value.
 */
export async function resolveJobEnv(
  db: Db,
  { orgId, propId, actor, viewer, backend }: { orgId: string; propId: string; actor: Actor; viewer: SecretViewer; backend?: SecretsBackend },
): Promise<ResolvedJobEnv> {
  // Values are read before the audit transaction (an external backend is a
  // network round trip, which must not hold the database's write lock).
  const { prop, variables } = await effectiveJobEnv(db, { orgId, propId, viewer });
  const fieldErrors: Record<string, string[]> = {};
  for (const v of variables) {
    const messages = [...v.errors, ...v.references.filter((r) => !r.secret).map((r) => `{{secrets.${r.name}}}: no secret named ${r.name} visible to prop ${prop.name}.`)];
    if (messages.length) fieldErrors[v.name] = messages;
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("validation_failed", `Some variables of prop ${prop.name} cannot be resolved: ${Object.keys(fieldErrors).join(", ")}.`, { fieldErrors });
  }
  const secretIds = [...new Set(variables.flatMap((v) => v.references.map((r) => r.secret!.id)))];
  const values = await openSecretValues(db, orgId, secretIds, backend);
  const env: Record<string, string> = {};
  for (const v of variables) {
    const idByName = new Map(v.references.map((r) => [r.name, r.secret!.id]));
    const result = substituteSecrets(v.parts, (name) => {
      const id = idByName.get(name);
      return id ? values.get(id) : undefined;
    });
    if (!result.ok) throw new AppError("validation_failed", `Variable ${v.name} cannot be resolved.`, { fieldErrors: { [v.name]: result.missing.map((n) => `{{secrets.${n}}} is missing.`) } });
    env[v.name] = result.value;
  }
  const secretNames = [...new Set(variables.flatMap((v) => v.references.map((r) => `${r.name}@${r.secret!.scopeKey}`)))];
  await db.$transaction((tx) =>
    recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "job_env.resolved",
        resource: { type: "prop", id: prop.id, label: prop.name },
        outcome: "success",
        metadata: { names: variables.map((v) => v.name).join(","), references: secretNames.join(","), count: variables.length },
      }),
    ),
  );
  return {
    prop,
    env,
    variables: variables.map((v) => ({ name: v.name, source: v.source, secrets: v.references.map((r) => ({ name: r.name, scope: r.secret!.scope })) })),
  };
}

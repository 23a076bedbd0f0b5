import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { echoableValues, type ActionResult, type ActionState } from "@/lib/action-result";
import type { Permission } from "@/lib/permissions";
import { isAppError } from "@/lib/server/errors";
import { SecretsBackendError } from "@/lib/server/secrets/backends/types";
import { DatabaseUnavailableError, isDatabaseDown, isDatabaseUnavailable } from "@/lib/server/db/availability";
import { DATABASE_UNAVAILABLE_ACTION_MESSAGE } from "@/lib/database-outage";
import { assertPermission, assertTrusted, requireOrgSession, requireSudo, type OrgSessionContext } from "@/lib/server/auth/guards";
import { getRequestContext } from "@/lib/server/request-context";
import type { UserActor } from "@/lib/server/audit/actor";

/**
 * Who may call an action. Every action needs a valid session in an
 * organization and (unless `allowUntrusted`) a trusted session.
 */
export interface Guard {
  permission?: Permission;
  /** Sensitive action: needs an open sudo window (DESIGN.md "Sudo mode"). */
  sudo?: boolean;
  /** Only for the actions that restore trust or read state. */
  allowUntrusted?: boolean;
  /** Enrolment actions stay usable when the organization requires 2FA the user lacks. */
  allowUnenrolled?: boolean;
}

/** The actor carries the sudo grant (when the guard required one) so audit events link it. */
export type ActionContext = OrgSessionContext & { actor: UserActor };

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Run the guard in STYLE.md's order: session, trust, permission, sudo. Throws AppError or redirects. */
async function runGuard(guard: Guard): Promise<ActionContext> {
  // While the database is marked unreachable, answer at once instead of trying it.
  if (isDatabaseDown()) throw new DatabaseUnavailableError();
  const ctx = await requireOrgSession({ allowUnenrolled: guard.allowUnenrolled });
  if (!guard.allowUntrusted) assertTrusted(ctx);
  if (guard.permission) assertPermission(ctx, guard.permission);
  const sudo = guard.sudo ? requireSudo(ctx) : null;
  const actor: UserActor = {
    userId: ctx.user.id,
    email: ctx.user.email,
    sessionId: ctx.session.id,
    sessionPublicId: ctx.session.publicId,
    request: await getRequestContext(),
    sudoGrantId: sudo?.grantId ?? null,
  };
  return { ...ctx, actor };
}

/**
 * What an action answers when its arguments are not what its form sends: only a
 * hand-made request gets here (the body decoded, the arguments did not fit).
 * A value, not an exception, so it is never a 500.
 */
export const MALFORMED_ACTION_INPUT = {
  ok: false,
  code: "malformed_request",
  message: "This request could not be understood. Reload the page and try again.",
} as const;

/** Whether a server action's argument is the FormData its form sends. */
export function isFormData(value: unknown): value is FormData {
  return value instanceof FormData;
}

/**
 * Bundle the guard, zod parsing and one domain call into a server action that
 * returns an ActionResult and never throws for expected failures; redirects
 * (e.g. to sign-in) still propagate.
 */
export function defineAction<S extends z.ZodType, T>(
  options: { schema: S; guard: Guard },
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<ActionResult<T>>,
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionResult<T>> => {
    if (!isFormData(formData)) return MALFORMED_ACTION_INPUT;
    try {
      const ctx = await runGuard(options.guard);
      const raw = Object.fromEntries([...formData.entries()].filter(([k]) => !k.startsWith("$ACTION")));
      const parsed = options.schema.safeParse(raw);
      if (!parsed.success) {
        return {
          ok: false,
          code: "validation_failed",
          message: "Check the highlighted fields.",
          fieldErrors: fieldErrorsOf(parsed.error),
          values: echoableValues(formData),
        };
      }
      const result = await handler(parsed.data, ctx);
      return result.ok ? result : { ...result, values: result.values ?? echoableValues(formData) };
    } catch (error) {
      unstable_rethrow(error);
      if (isAppError(error)) {
        return { ok: false, code: error.code, message: error.message, fieldErrors: error.details?.fieldErrors, values: echoableValues(formData) };
      }
      // The secrets backend (AWS, Vault) refused or is unreachable: its message names why, never a value.
      if (error instanceof SecretsBackendError) return { ok: false, code: error.reason === "conflict" ? "conflict" : "secrets_backend_unavailable", message: error.message, values: echoableValues(formData) };
      // Unreachable database: the form says so and keeps what was typed.
      if (isDatabaseUnavailable(error)) return { ok: false, code: "database_unavailable", message: DATABASE_UNAVAILABLE_ACTION_MESSAGE, values: echoableValues(formData) };
      console.error("[gatehouse] action failed", error);
      return { ok: false, code: "internal", message: "Something went wrong on our side. Nothing was changed; try again." };
    }
  };
}

export { fieldErrorsOf };

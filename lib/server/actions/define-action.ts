import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { echoableValues, type ActionResult, type ActionState } from "@/lib/action-result";
import type { Permission } from "@/lib/permissions";
import { isAppError } from "@/lib/server/errors";
import { requireOrgSession, requirePermission, type OrgSessionContext } from "@/lib/server/auth/guards";
import { getRequestContext } from "@/lib/server/request-context";
import type { UserActor } from "@/lib/server/audit/actor";

export type ActionContext = OrgSessionContext & { actor: UserActor };

type Guard = { permission: Permission } | { session: "org" };

interface ActionOptions<S extends z.ZodType> {
  schema: S;
  /** Who may call it; checked before the input is even parsed. */
  guard: Guard;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Bundle the guard order STYLE.md asks for: session and permission, then zod,
 * then one domain call. Returns an ActionResult and never throws for expected
 * failures; redirects (e.g. to sign-in) still propagate.
 */
export function defineAction<S extends z.ZodType, T>(
  options: ActionOptions<S>,
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<ActionResult<T>>,
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionResult<T>> => {
    try {
      const ctx = "permission" in options.guard ? await requirePermission(options.guard.permission) : await requireOrgSession();
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
      const actor: UserActor = { userId: ctx.user.id, email: ctx.user.email, sessionId: ctx.session.id, request: await getRequestContext() };
      const result = await handler(parsed.data, { ...ctx, actor });
      return result.ok ? result : { ...result, values: result.values ?? echoableValues(formData) };
    } catch (error) {
      unstable_rethrow(error);
      if (isAppError(error)) {
        return { ok: false, code: error.code, message: error.message, fieldErrors: error.details?.fieldErrors, values: echoableValues(formData) };
      }
      console.error("[gatehouse] action failed", error);
      return { ok: false, code: "internal", message: "Something went wrong on our side. Nothing was changed; try again." };
    }
  };
}

export { fieldErrorsOf };

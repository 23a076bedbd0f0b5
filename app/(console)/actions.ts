"use server";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { switchOrganization } from "@/lib/server/orgs/switch-organization";
import { switchOrgSchema } from "@/lib/validations/auth";

/** Switch the current session to another organization the user belongs to. */
export const switchOrganizationAction: (prev: ActionState, formData: FormData) => Promise<ActionResult> = defineAction(
  { schema: switchOrgSchema, guard: { allowUntrusted: true } },
  async (input, ctx) => {
    await switchOrganization(getDb(), { sessionId: ctx.session.id, userId: ctx.user.id, orgId: input.orgId });
    return { ok: true, data: undefined };
  },
);

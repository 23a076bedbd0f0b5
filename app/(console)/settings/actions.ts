"use server";
import { revalidatePath } from "next/cache";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { setApiKeyMaxLifetime } from "@/lib/server/orgs/set-api-key-max-lifetime";
import { keyPolicyFormSchema } from "@/lib/validations/api-keys";

/** Set the organization's maximum API key lifetime (owners, sudo; audited). */
export const setKeyPolicyAction: (prev: ActionState, formData: FormData) => Promise<ActionResult> = defineAction(
  { schema: keyPolicyFormSchema, guard: { permission: "org.security_policy", sudo: true } },
  async (input, ctx) => {
    await setApiKeyMaxLifetime(getDb(), { orgId: ctx.org.id, days: input.maxLifetimeDays, actor: ctx.actor });
    revalidatePath("/settings");
    revalidatePath("/api-keys");
    return {
      ok: true,
      data: undefined,
      message: input.maxLifetimeDays === null ? "New API keys may now live without a maximum." : `New and rolled API keys now expire within ${input.maxLifetimeDays} days.`,
    };
  },
);

"use server";
import { revalidatePath } from "next/cache";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { configureIntegrationIntake, deleteIntegrationIntake } from "@/lib/server/integrations/configure-integration-intake";
import type { IntakeProvider } from "@/lib/integrations/verify-inbound";
import { intakeIdFormSchema, intakeProviderFormSchema } from "@/lib/validations/integrations";

type Action<T = undefined> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;

/** An intake's secret, returned in this one answer and never again. */
export interface RevealedIntakeSecret {
  provider: IntakeProvider;
  path: string;
  secret: string;
  created: boolean;
}

/** Set up the organization's intake for a provider, or rotate its secret (sudo; owners and admins). */
export const configureIntakeAction: Action<RevealedIntakeSecret> = defineAction(
  { schema: intakeProviderFormSchema, guard: { permission: "webhooks.manage", sudo: true } },
  async (input, ctx) => {
    const { intake, secret, created } = await configureIntegrationIntake(getDb(), { orgId: ctx.org.id, actor: ctx.actor, provider: input.provider });
    revalidatePath("/webhooks");
    return { ok: true, data: { provider: intake.provider, path: intake.path, secret, created } };
  },
);

/** Remove an intake: its URL stops accepting anything (sudo). */
export const deleteIntakeAction: Action = defineAction(
  { schema: intakeIdFormSchema, guard: { permission: "webhooks.manage", sudo: true } },
  async (input, ctx) => {
    await deleteIntegrationIntake(getDb(), { orgId: ctx.org.id, actor: ctx.actor, id: input.intakeId });
    revalidatePath("/webhooks");
    return { ok: true, data: undefined, message: "Intake removed: its URL answers 404 from now on." };
  },
);

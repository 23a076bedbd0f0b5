"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction, type ActionContext } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { createSecret } from "@/lib/server/secrets/create-secret";
import { updateSecret } from "@/lib/server/secrets/update-secret";
import { deleteSecret } from "@/lib/server/secrets/delete-secret";
import { revealSecret } from "@/lib/server/secrets/reveal-secret";
import { setRotationPolicy } from "@/lib/server/secrets/set-rotation-policy";
import type { SecretViewer } from "@/lib/server/secrets/secret-access";

type Action<T = undefined> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;

// The form names the value "secret" so a failed submit never echoes it back
// (echoableValues drops secret-looking fields); the domain validates the rest.
const createForm = z.object({ secret: z.string() }).loose();
const updateForm = z.object({ id: z.string().min(1).max(64), secret: z.string().optional() }).loose();
const idForm = z.object({ id: z.string().min(1).max(64) });

const viewerOf = (ctx: ActionContext): SecretViewer => ({ kind: "member", userId: ctx.user.id, role: ctx.role });
const refreshed = (message: string): ActionResult => {
  revalidatePath("/secrets");
  return { ok: true, data: undefined, message };
};

/** Create a secret at a scope (owners and admins, sudo; audited without the value). */
export const createSecretAction: Action = defineAction({ schema: createForm, guard: { permission: "secrets.write", sudo: true } }, async ({ secret, ...rest }, ctx) => {
  const created = await createSecret(getDb(), { orgId: ctx.org.id, actor: ctx.actor, input: { ...rest, value: secret } });
  return refreshed(`${created.name} saved. Its value is encrypted and will not be shown again unless someone reveals it.`);
});

/** New value, category or description (sudo). An empty value field keeps the current value. */
export const updateSecretAction: Action = defineAction({ schema: updateForm, guard: { permission: "secrets.write", sudo: true } }, async ({ id, secret, ...rest }, ctx) => {
  const updated = await updateSecret(getDb(), { orgId: ctx.org.id, id, actor: ctx.actor, input: { ...rest, value: secret } });
  return refreshed(`${updated.name} updated.`);
});

export const deleteSecretAction: Action = defineAction({ schema: idForm, guard: { permission: "secrets.write", sudo: true } }, async ({ id }, ctx) => {
  const deleted = await deleteSecret(getDb(), { orgId: ctx.org.id, id, actor: ctx.actor });
  return refreshed(`${deleted.name} deleted.`);
});

/** Reveal one value (sudo; audited). Only in this answer; the page shows it for 30 seconds. */
export const revealSecretAction: Action<{ name: string; value: string }> = defineAction({ schema: idForm, guard: { permission: "secrets.reveal", sudo: true } }, async ({ id }, ctx) => {
  const revealed = await revealSecret(getDb(), { orgId: ctx.org.id, id, actor: ctx.actor, viewer: viewerOf(ctx) });
  revalidatePath("/secrets");
  return { ok: true, data: { name: revealed.name, value: revealed.value } };
});

const rotationForm = z.object({ id: z.string().min(1).max(64), intervalDays: z.string().max(10), notifyBeforeDays: z.string().max(10) });

/** Set or clear (empty interval) a secret's rotation policy (owners and admins, sudo; audited). */
export const setRotationPolicyAction: Action = defineAction({ schema: rotationForm, guard: { permission: "secrets.write", sudo: true } }, async ({ id, ...policy }, ctx) => {
  const saved = await setRotationPolicy(getDb(), { orgId: ctx.org.id, id, actor: ctx.actor, input: policy });
  return refreshed(saved.rotationIntervalDays ? `${saved.name} is due for rotation every ${saved.rotationIntervalDays} days.` : `${saved.name} has no rotation policy now.`);
});

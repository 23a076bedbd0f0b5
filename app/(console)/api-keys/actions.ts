"use server";
import { revalidatePath } from "next/cache";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction, type ActionContext } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { consoleKeyAuthority, createConsoleApiKey, type ConsoleMember } from "@/lib/server/api-keys/create-console-api-key";
import { updateConsoleApiKey } from "@/lib/server/api-keys/update-console-api-key";
import { revokeApiKey } from "@/lib/server/api-keys/revoke-api-key";
import { rollApiKey } from "@/lib/server/api-keys/roll-api-key";
import { createKeyFormSchema, revokeKeyFormSchema, rollKeyFormSchema, updateKeyFormSchema } from "@/lib/validations/api-keys";

type Action<T = undefined> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;

/** A raw key, returned in this one answer and never again. */
export interface RevealedKey {
  id: string;
  name: string;
  prefix: string;
  raw: string;
  expiresAt: string | null;
  oldKeyExpiresAt?: string;
}

const memberOf = (ctx: ActionContext): ConsoleMember => ({ orgId: ctx.org.id, role: ctx.role, actor: ctx.actor });

/** Issue a key owned by the signed-in member (sudo; auditors cannot). The raw key is in this answer only. */
export const createApiKeyAction: Action<RevealedKey> = defineAction(
  { schema: createKeyFormSchema, guard: { permission: "api_keys.create", sudo: true } },
  async (input, ctx) => {
    const { key, raw } = await createConsoleApiKey(getDb(), memberOf(ctx), input);
    revalidatePath("/api-keys");
    return { ok: true, data: { id: key.id, name: key.name, prefix: key.prefix, raw, expiresAt: key.expiresAt?.toISOString() ?? null } };
  },
);

/** Revoke a key (sudo): owners and admins any key of the organization, members their own. */
export const revokeApiKeyAction: Action = defineAction(
  { schema: revokeKeyFormSchema, guard: { permission: "api_keys.create", sudo: true } },
  async (input, ctx) => {
    await revokeApiKey(getDb(), { keyId: input.keyId, authority: consoleKeyAuthority(memberOf(ctx)), actor: ctx.actor, reason: "revoked in the console" });
    revalidatePath("/api-keys");
    return { ok: true, data: undefined, message: "Key revoked. Requests with it are refused from now on." };
  },
);

/** Roll a key (sudo): a new raw key, once; the old one works for the grace period. */
export const rollApiKeyAction: Action<RevealedKey> = defineAction(
  { schema: rollKeyFormSchema, guard: { permission: "api_keys.create", sudo: true } },
  async (input, ctx): Promise<ActionResult<RevealedKey>> => {
    const { key, raw, oldKeyExpiresAt } = await rollApiKey(getDb(), {
      keyId: input.keyId,
      authority: consoleKeyAuthority(memberOf(ctx)),
      actor: ctx.actor,
      graceHours: input.graceHours,
    });
    revalidatePath("/api-keys");
    return {
      ok: true,
      data: { id: key.id, name: key.name, prefix: key.prefix, raw, expiresAt: key.expiresAt?.toISOString() ?? null, oldKeyExpiresAt: oldKeyExpiresAt.toISOString() },
    };
  },
);

/** Change a key's name, restrictions, IP allowlist and (owners and admins) rate-limit override (sudo). */
export const updateApiKeyAction: Action = defineAction(
  { schema: updateKeyFormSchema, guard: { permission: "api_keys.create", sudo: true } },
  async (input, ctx) => {
    await updateConsoleApiKey(getDb(), memberOf(ctx), input);
    revalidatePath("/api-keys");
    return { ok: true, data: undefined, message: "Key updated." };
  },
);

"use server";
import { revalidatePath } from "next/cache";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { createWebhookEndpoint } from "@/lib/server/webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointPaused, updateWebhookEndpoint } from "@/lib/server/webhooks/manage-webhook-endpoint";
import { sendTestWebhook } from "@/lib/server/webhooks/send-test-webhook";
import { redeliverWebhooks } from "@/lib/server/webhooks/redeliver-webhook";
import {
  redeliverWebhookFormSchema,
  rotateWebhookSecretFormSchema,
  webhookEndpointEditFormSchema,
  webhookEndpointFormSchema,
  webhookEndpointIdFormSchema,
} from "@/lib/validations/webhooks";

type Action<T = undefined> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;

/** A signing secret, returned in this one answer and never again. */
export interface RevealedSecret {
  endpointId: string;
  url: string;
  secret: string;
}

const settings = (input: { url: string; description: string; eventTypes: string[]; resourceIds: string[]; headers: Record<string, string> }) => ({
  url: input.url,
  description: input.description,
  event_types: input.eventTypes,
  resource_ids: input.resourceIds,
  headers: input.headers,
});

/** Create an endpoint (sudo; owners and admins). The secret is in this answer only. */
export const createWebhookEndpointAction: Action<RevealedSecret> = defineAction(
  { schema: webhookEndpointFormSchema, guard: { permission: "webhooks.manage", sudo: true } },
  async (input, ctx) => {
    const { endpoint, secret } = await createWebhookEndpoint(getDb(), { orgId: ctx.org.id, actor: ctx.actor, input: settings(input) });
    revalidatePath("/webhooks");
    return { ok: true, data: { endpointId: endpoint.id, url: endpoint.url, secret } };
  },
);

/** Change an endpoint's settings (sudo). */
export const updateWebhookEndpointAction: Action = defineAction(
  { schema: webhookEndpointEditFormSchema, guard: { permission: "webhooks.manage", sudo: true } },
  async (input, ctx) => {
    // An empty headers box keeps the current headers (their values are never shown to edit); "remove" clears them.
    const { headers, ...rest } = settings(input);
    const patch = Object.keys(headers).length > 0 || input.clearHeaders ? { ...rest, headers } : rest;
    await updateWebhookEndpoint(getDb(), { orgId: ctx.org.id, id: input.endpointId, actor: ctx.actor, patch });
    revalidatePath(`/webhooks/${input.endpointId}`);
    return { ok: true, data: undefined, message: "Endpoint saved." };
  },
);

function statusAction(paused: boolean): Action {
  return defineAction({ schema: webhookEndpointIdFormSchema, guard: { permission: "webhooks.manage", sudo: true } }, async (input, ctx) => {
    await setWebhookEndpointPaused(getDb(), { orgId: ctx.org.id, id: input.endpointId, actor: ctx.actor, paused });
    revalidatePath(`/webhooks/${input.endpointId}`);
    return { ok: true, data: undefined, message: paused ? "Endpoint paused: nothing is queued for it until you resume it." : "Endpoint active again." };
  });
}
/** Pause an endpoint (sudo). */
export const pauseWebhookEndpointAction: Action = statusAction(true);
/** Resume, or re-enable a disabled, endpoint (sudo). */
export const resumeWebhookEndpointAction: Action = statusAction(false);

/** Delete an endpoint with its history (sudo). */
export const deleteWebhookEndpointAction: Action = defineAction(
  { schema: webhookEndpointIdFormSchema, guard: { permission: "webhooks.manage", sudo: true } },
  async (input, ctx) => {
    await deleteWebhookEndpoint(getDb(), { orgId: ctx.org.id, id: input.endpointId, actor: ctx.actor });
    revalidatePath("/webhooks");
    return { ok: true, data: undefined, message: "Endpoint deleted." };
  },
);

/** A new signing secret (sudo), shown once; the old one signs too for the grace period. */
export const rotateWebhookSecretAction: Action<RevealedSecret> = defineAction(
  { schema: rotateWebhookSecretFormSchema, guard: { permission: "webhooks.manage", sudo: true } },
  async (input, ctx) => {
    const { endpoint, secret } = await rotateWebhookSecret(getDb(), { orgId: ctx.org.id, id: input.endpointId, actor: ctx.actor, graceHours: input.graceHours });
    revalidatePath(`/webhooks/${input.endpointId}`);
    return { ok: true, data: { endpointId: endpoint.id, url: endpoint.url, secret } };
  },
);

/** Queue a test event for the endpoint (sudo). */
export const sendTestWebhookAction: Action = defineAction(
  { schema: webhookEndpointIdFormSchema, guard: { permission: "webhooks.manage", sudo: true } },
  async (input, ctx) => {
    await sendTestWebhook(getDb(), { orgId: ctx.org.id, id: input.endpointId, actor: ctx.actor });
    revalidatePath(`/webhooks/${input.endpointId}`);
    return { ok: true, data: undefined, message: "Test event queued: it shows in the history within a few seconds." };
  },
);

/** Send one delivery again, or every failed one of the last hours (sudo). */
export const redeliverWebhookAction: Action = defineAction(
  { schema: redeliverWebhookFormSchema, guard: { permission: "webhooks.manage", sudo: true } },
  async (input, ctx) => {
    const queued = await redeliverWebhooks(getDb(), {
      orgId: ctx.org.id,
      endpointId: input.endpointId,
      actor: ctx.actor,
      deliveryId: input.deliveryId,
      since: input.deliveryId ? undefined : new Date(Date.now() - (input.sinceHours ?? 24) * 3_600_000),
    });
    revalidatePath(`/webhooks/${input.endpointId}`);
    return { ok: true, data: undefined, message: queued === 1 ? "1 delivery queued again." : `${queued} deliveries queued again.` };
  },
);

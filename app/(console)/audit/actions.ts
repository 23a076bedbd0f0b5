"use server";
import { z } from "zod";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { searchAuditEvents } from "@/lib/server/audit/search-audit-events";
import { decodeAuditCursor } from "@/lib/server/audit/audit-cursor";
import { revalidatePath } from "next/cache";
import { auditFilterSchema, auditRetentionFormSchema } from "@/lib/validations/audit";
import { setAuditRetention } from "@/lib/server/audit/set-audit-retention";
import { toRowView, type AuditRowView } from "./row-view";

type Action<T> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;

const loadMoreSchema = auditFilterSchema.extend({ cursor: z.string().min(1).max(200) });

/** The next page of the current view (a read: an untrusted session may page too). */
export const loadMoreAuditEventsAction: Action<{ events: AuditRowView[]; nextCursor: string | null }> = defineAction(
  { schema: loadMoreSchema, guard: { permission: "audit.read", allowUntrusted: true } },
  async ({ cursor, ...filter }, ctx) => {
    const page = await searchAuditEvents(getDb(), ctx.org.id, filter, { after: decodeAuditCursor(cursor, filter), limit: 50 });
    return { ok: true, data: { events: page.events.map(toRowView), nextCursor: page.nextCursor } };
  },
);

/** Set how long audit events are kept (owners: org.security_policy; sudo; audited). */
export const setAuditRetentionAction: Action<undefined> = defineAction(
  { schema: auditRetentionFormSchema, guard: { permission: "org.security_policy", sudo: true } },
  async ({ retentionDays }, ctx) => {
    await setAuditRetention(getDb(), { orgId: ctx.org.id, days: retentionDays, actor: ctx.actor });
    revalidatePath("/audit");
    return {
      ok: true,
      data: undefined,
      message: retentionDays === null ? "Audit events are now kept forever." : `Events older than ${retentionDays} days will be archived and removed by the next daily run.`,
    };
  },
);

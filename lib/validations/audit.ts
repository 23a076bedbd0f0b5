import { z } from "zod";

export const AUDIT_ACTOR_TYPES = ["user", "system", "api_key", "agent"] as const;
export const AUDIT_OUTCOMES = ["success", "denied", "failure"] as const;
export const AUDIT_RANGE_PRESETS = ["1h", "24h", "7d", "30d", "90d"] as const;
export type AuditRangePreset = (typeof AUDIT_RANGE_PRESETS)[number];

// An empty query value ("?outcome=") means "no filter", as a cleared form field sends it.
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
// A time without an offset (what <input type="datetime-local"> sends) is UTC, as the console shows every time in UTC.
const instant = z.iso.datetime({ offset: true, local: true }).transform((s) => new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s}Z`));

/**
 * The filters of the audit log, as they appear in the console's URL and in
 * `GET /api/v1/audit-events` (the same names). Unknown keys are ignored so a
 * shared link with extra parameters still opens.
 */
export const auditFilterSchema = z.object({
  actor_type: opt(z.enum(AUDIT_ACTOR_TYPES)),
  actor: opt(z.string().max(100)),
  action: opt(z.string().max(100).regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/, "An action code such as member.role_changed.")),
  resource_type: opt(z.string().max(64).regex(/^[a-z][a-z0-9_]*$/, "A resource type such as membership.")),
  resource_id: opt(z.string().max(100)),
  outcome: opt(z.enum(AUDIT_OUTCOMES)),
  range: opt(z.enum([...AUDIT_RANGE_PRESETS, "custom"])),
  from: opt(instant),
  to: opt(instant),
  q: opt(z.string().max(200).transform((s) => s.trim())),
});
export type AuditFilterInput = z.input<typeof auditFilterSchema>;
export type AuditFilter = z.output<typeof auditFilterSchema>;

/** Paging parameters next to the filters: an opaque cursor, or a date to jump to. */
export const auditPageSchema = z.object({
  cursor: opt(z.string().max(200)),
  at: opt(instant),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).optional()),
});

/** The URL query names of the filters, in a stable order (cursors hash them in this order). */
export const AUDIT_FILTER_KEYS = ["actor_type", "actor", "action", "resource_type", "resource_id", "outcome", "range", "from", "to", "q"] as const;

/** The query string of a filter (only the set values), for links that keep or narrow the current view. */
export function auditFilterQuery(filter: Partial<Record<(typeof AUDIT_FILTER_KEYS)[number], string | Date | undefined>>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const v = filter[key];
    if (v instanceof Date) params.set(key, v.toISOString());
    else if (v) params.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/** Audit retention in days, 30 to 3650; empty keeps events forever (the default). */
export const AUDIT_RETENTION_MIN_DAYS = 30;
export const AUDIT_RETENTION_MAX_DAYS = 3650;
export const auditRetentionFormSchema = z.object({
  retentionDays: z
    .string()
    .trim()
    .max(10)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = /^\d+$/.test(v) ? Number(v) : NaN;
      if (!(n >= AUDIT_RETENTION_MIN_DAYS && n <= AUDIT_RETENTION_MAX_DAYS)) {
        ctx.addIssue({ code: "custom", message: `Enter a whole number of days from ${AUDIT_RETENTION_MIN_DAYS} to ${AUDIT_RETENTION_MAX_DAYS}, or leave it empty to keep events forever.` });
        return z.NEVER;
      }
      return n;
    }),
});

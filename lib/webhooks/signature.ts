import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): secrets are
 * `whsec_` + base64 of the key bytes; a signature is `v1,` + base64 of
 * HMAC-SHA256(key, "{id}.{timestamp}.{body}"), timestamp in unix seconds. The
 * `webhook-signature` header is a space-separated list, so both secrets sign
 * during a rotation and a receiver accepts either.
 */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** A new signing secret: 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, "base64");
  if (key.length < 16 || key.length > 128) throw new Error("a webhook secret must be whsec_ followed by 16 to 128 base64 bytes");
  return key;
}

/** `v1,<base64 HMAC>` of one message under one secret. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac("sha256", secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** The `webhook-signature` header value: one signature per secret, space-separated. */
export function webhookSignatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((s) => signWebhook(s, id, timestamp, body)).join(" ");
}

export type WebhookVerification = { ok: true } | { ok: false; reason: "missing_headers" | "stale_timestamp" | "bad_signature" };

/**
 * Check a delivery the way a receiver does: headers present, timestamp within
 * `toleranceSeconds` of `now`, and one `v1` signature of the list matching
 * (constant-time comparison).
 */
export function verifyWebhook(
  secret: string,
  headers: { id?: string | null; timestamp?: string | null; signature?: string | null },
  body: string,
  { toleranceSeconds = 300, now = Date.now() }: { toleranceSeconds?: number; now?: number } = {},
): WebhookVerification {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "stale_timestamp" };
  const ts = Number(timestamp);
  if (Math.abs(now / 1000 - ts) > toleranceSeconds) return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(signWebhook(secret, id, ts, body).slice(3), "base64");
  for (const candidate of signature.split(" ")) {
    const [version, value] = candidate.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: "bad_signature" };
}

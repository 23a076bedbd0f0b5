import { createHmac, timingSafeEqual } from "node:crypto";
import { verifyWebhook } from "@/lib/webhooks/signature";

/** The senders whose webhooks Gatehouse takes in. */
export const INTAKE_PROVIDERS = ["github", "gitea", "standard"] as const;
export type IntakeProvider = (typeof INTAKE_PROVIDERS)[number];

export function isIntakeProvider(value: unknown): value is IntakeProvider {
  return typeof value === "string" && (INTAKE_PROVIDERS as readonly string[]).includes(value);
}

export const INTAKE_PROVIDER_LABELS: Record<IntakeProvider, string> = { github: "GitHub", gitea: "Gitea", standard: "Standard Webhooks" };

/** Request headers as a lookup (lower-case names), e.g. `(n) => request.headers.get(n)`. */
export type HeaderLookup = (name: string) => string | null;

export type InboundRefusal = "missing_signature" | "bad_signature" | "stale_timestamp" | "missing_delivery_id";

export type InboundVerification = { ok: true; deliveryId: string; eventType: string | null } | { ok: false; reason: InboundRefusal };

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
/** Delivery ids are GUIDs on GitHub and Gitea, `msg_…` in Standard Webhooks: printable, bounded. */
const DELIVERY_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const EVENT_NAME = /^[a-z][a-z0-9_.]{0,63}$/;

function hmacHex(secret: string, body: Buffer): Buffer {
  return createHmac("sha256", secret).update(body).digest();
}

/** Constant-time comparison of a hex signature with the expected digest. */
function hexMatches(given: string, expected: Buffer): boolean {
  if (!HEX_SHA256.test(given)) return false;
  const bytes = Buffer.from(given, "hex");
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/**
 * Verify one inbound delivery the way its sender signs it:
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`, id `X-GitHub-Delivery`, event `X-GitHub-Event`;
 * - Gitea: `X-Gitea-Signature: <hex HMAC-SHA256(secret, raw body)>`, id `X-Gitea-Delivery`, event `X-Gitea-Event`;
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp` (within `toleranceSeconds`), `webhook-signature` (v1, any of a list).
 * The body is checked as received (bytes), before any parsing. Comparisons are constant-time.
 * The delivery id is only trusted after the signature (Standard Webhooks signs it; GitHub and Gitea do not,
 * so a replay there is caught by the id the sender gave the original delivery).
 */
export function verifyInbound(
  provider: IntakeProvider,
  secret: string,
  headers: HeaderLookup,
  body: Buffer,
  { now = Date.now(), toleranceSeconds = 300 }: { now?: number; toleranceSeconds?: number } = {},
): InboundVerification {
  if (provider === "standard") {
    const id = headers("webhook-id");
    const verdict = verifyWebhook(secret, { id, timestamp: headers("webhook-timestamp"), signature: headers("webhook-signature") }, body.toString("utf8"), { now, toleranceSeconds });
    if (!verdict.ok) return { ok: false, reason: verdict.reason === "missing_headers" ? "missing_signature" : verdict.reason };
    if (!id || !DELIVERY_ID.test(id)) return { ok: false, reason: "missing_delivery_id" };
    return { ok: true, deliveryId: id, eventType: null };
  }
  const header = provider === "github" ? headers("x-hub-signature-256") : headers("x-gitea-signature");
  if (!header) return { ok: false, reason: "missing_signature" };
  const given = provider === "github" ? (header.startsWith("sha256=") ? header.slice(7) : "") : header;
  if (!hexMatches(given, hmacHex(secret, body))) return { ok: false, reason: "bad_signature" };
  const id = provider === "github" ? headers("x-github-delivery") : headers("x-gitea-delivery");
  if (!id || !DELIVERY_ID.test(id)) return { ok: false, reason: "missing_delivery_id" };
  const event = (provider === "github" ? headers("x-github-event") : headers("x-gitea-event"))?.toLowerCase() ?? null;
  return { ok: true, deliveryId: id, eventType: event && EVENT_NAME.test(event) ? event : null };
}

/** The repository a push-like payload names: full name and the URLs it can be cloned from. */
export function repositoryOf(payload: unknown): { fullName: string; urls: string[] } | null {
  if (typeof payload !== "object" || payload === null) return null;
  const repo: unknown = Reflect.get(payload, "repository");
  if (typeof repo !== "object" || repo === null) return null;
  const fullName: unknown = Reflect.get(repo, "full_name");
  if (typeof fullName !== "string" || fullName.length === 0 || fullName.length > 200) return null;
  const urls: string[] = [];
  for (const key of ["html_url", "clone_url", "ssh_url", "git_url", "url"]) {
    const v: unknown = Reflect.get(repo, key);
    if (typeof v === "string" && v.length <= 2048) urls.push(v);
  }
  return { fullName, urls };
}

/** `https://git.example.com/Team/App.git` → `git.example.com/team/app`: what two URLs of one repository share. */
export function normalizeRepositoryUrl(url: string): string {
  let s = url.trim().toLowerCase();
  s = s.replace(/^[a-z+]+:\/\//, "").replace(/^[^@/]+@/, "");
  // scp-like ssh (git@host:team/app.git) → host/team/app
  s = s.replace(/^([^/:]+):(?!\d+\/)/, "$1/");
  s = s.replace(/:\d+\//, "/");
  return s.replace(/\.git$/, "").replace(/\/+$/, "");
}

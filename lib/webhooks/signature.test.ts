import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookSignatureHeader } from "./signature";

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Standard Webhooks signatures", () => {
  it("reproduces the specification's test vector", () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it("verifies the vector and refuses any change to id, timestamp or body", () => {
    const now = VECTOR.timestamp * 1000;
    const headers = { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature };
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, { now })).toEqual({ ok: true });
    expect(verifyWebhook(VECTOR.secret, { ...headers, id: "msg_other" }, VECTOR.body, { now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(VECTOR.secret, headers, '{"test": 2432232315}', { now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(VECTOR.secret, { ...headers, timestamp: String(VECTOR.timestamp + 1) }, VECTOR.body, { now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, { now: now + 301_000 })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(verifyWebhook(VECTOR.secret, { ...headers, signature: null }, VECTOR.body, { now })).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("signs with every secret during a rotation, and either secret verifies the header", () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()];
    expect(oldSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const header = webhookSignatureHeader([newSecret, oldSecret], "msg_1", 1_700_000_000, "{}");
    expect(header.split(" ")).toHaveLength(2);
    const headers = { id: "msg_1", timestamp: "1700000000", signature: header };
    expect(verifyWebhook(oldSecret, headers, "{}", { now: 1_700_000_000_000 }).ok).toBe(true);
    expect(verifyWebhook(newSecret, headers, "{}", { now: 1_700_000_000_000 }).ok).toBe(true);
    expect(verifyWebhook(generateWebhookSecret(), headers, "{}", { now: 1_700_000_000_000 }).ok).toBe(false);
  });

  it("agrees with the standardwebhooks package on the vector and on fresh secrets", () => {
    expect(new Webhook(VECTOR.secret).sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body)).toBe(VECTOR.signature);
    const secret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const headers = { "webhook-id": "msg_x", "webhook-timestamp": String(ts), "webhook-signature": webhookSignatureHeader([generateWebhookSecret(), secret], "msg_x", ts, '{"a":1}') };
    expect(new Webhook(secret).verify('{"a":1}', headers)).toEqual({ a: 1 });
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
  });
});

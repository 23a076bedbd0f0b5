import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { contextFromHeaderBag, peerFromHeader, PEER_HEADER } from "./request-context";

// As in the e2e server: loopback is a trusted proxy, and server.mjs's token is in the environment.
const TOKEN = randomBytes(24).toString("base64url");
beforeAll(() => {
  process.env.TRUSTED_PROXY_HOSTS = "127.0.0.1,::1";
  process.env.GATEHOUSE_PEER_TOKEN = TOKEN;
});

describe("peerFromHeader", () => {
  it("reads the peer from a stamp carrying this process's token", () => {
    expect(peerFromHeader(`${TOKEN}:203.0.113.9`, TOKEN)).toBe("203.0.113.9");
    expect(peerFromHeader(`${TOKEN}:::1`, TOKEN)).toBe("::1");
    expect(peerFromHeader(`${TOKEN}:::ffff:127.0.0.2`, TOKEN)).toBe("::ffff:127.0.0.2");
  });

  it("refuses anything else", () => {
    expect(peerFromHeader("guess:6.6.6.6", TOKEN)).toBeNull();
    expect(peerFromHeader(`${TOKEN.slice(0, -1)}:6.6.6.6`, TOKEN)).toBeNull();
    expect(peerFromHeader(`${TOKEN}x:6.6.6.6`, TOKEN)).toBeNull();
    expect(peerFromHeader(`x${TOKEN}:6.6.6.6`, TOKEN)).toBeNull();
    expect(peerFromHeader(TOKEN, TOKEN)).toBeNull();
    expect(peerFromHeader(`${TOKEN}:`, TOKEN)).toBeNull();
    expect(peerFromHeader(null, TOKEN)).toBeNull();
    expect(peerFromHeader(`${TOKEN}:6.6.6.6`, "")).toBeNull();
  });
});

describe("contextFromHeaderBag", () => {
  const bag = (headers: Record<string, string>) => (name: string) => headers[name];

  it("believes X-Forwarded-For only when the stamped peer is a trusted proxy", () => {
    const viaProxy = contextFromHeaderBag(bag({ [PEER_HEADER]: `${TOKEN}:127.0.0.1`, "x-forwarded-for": "203.0.113.9", "user-agent": "UA" }));
    expect(viaProxy).toMatchObject({ ip: "203.0.113.9", userAgent: "UA" });
    // A re-sent request (a forwarded server action) keeps the original peer's stamp: its copied XFF is not believed.
    const forwarded = contextFromHeaderBag(bag({ [PEER_HEADER]: `${TOKEN}:127.0.0.2`, "x-forwarded-for": "203.0.113.66" }));
    expect(forwarded.ip).toBe("127.0.0.2");
  });

  it("has no client IP without a valid stamp", () => {
    expect(contextFromHeaderBag(bag({ [PEER_HEADER]: "guess:127.0.0.1", "x-forwarded-for": "203.0.113.9" })).ip).toBeNull();
  });
});

describe("device token", () => {
  it("is read from the gatehouse.device cookie, and ignored when absent or oversized", () => {
    const bag = (cookie: string | undefined) => (name: string) => (name === "cookie" ? cookie : undefined);
    expect(contextFromHeaderBag(bag("a=1; gatehouse.device=tok-123; b=2")).deviceToken).toBe("tok-123");
    expect(contextFromHeaderBag(bag("gatehouse.session=x")).deviceToken).toBeNull();
    expect(contextFromHeaderBag(bag(undefined)).deviceToken).toBeNull();
    expect(contextFromHeaderBag(bag(`gatehouse.device=${"x".repeat(500)}`)).deviceToken).toBeNull();
  });
});

import "server-only";
import { timingSafeEqual } from "node:crypto";
import { headers } from "next/headers";
import { resolveClientIp } from "@/lib/net/client-ip";
import { getConfig } from "@/lib/server/config";
import { DEVICE_COOKIE, cookieFromHeader } from "@/lib/session-cookie";

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  /** The browser's device token (DEVICE_COOKIE), for known-device rate limiting. */
  deviceToken?: string | null;
}

export const PEER_HEADER = "x-gatehouse-peer";

/**
 * The socket peer server.mjs stamped on this request as `<token>:<address>`,
 * or null when the header is missing or does not start with this process's
 * token (compared in constant time). The token is random per process and never
 * leaves it, so a client cannot forge the stamp: server.mjs overwrites any
 * value without the token and keeps one with it, which only Next's own
 * re-sent requests (forwarded server actions, post-action redirects) carry,
 * stamped with the original client's peer.
 */
export function peerFromHeader(value: string | null | undefined, token = process.env.GATEHOUSE_PEER_TOKEN): string | null {
  if (!token || !value) return null;
  const prefix = Buffer.from(`${token}:`);
  const head = Buffer.from(value.slice(0, prefix.length));
  if (head.length !== prefix.length || !timingSafeEqual(head, prefix)) return null;
  return value.slice(prefix.length) || null;
}

/** Client IP and user agent for a plain header bag (next-auth hands one to authorize). */
export function contextFromHeaderBag(get: (name: string) => string | null | undefined): RequestContext {
  const peer = peerFromHeader(get(PEER_HEADER));
  const ip = resolveClientIp(peer, get("x-forwarded-for") ?? null, getConfig().trustedProxyHosts);
  const device = cookieFromHeader(get("cookie"), DEVICE_COOKIE);
  return { ip, userAgent: get("user-agent")?.slice(0, 512) ?? null, deviceToken: device && device.length <= 128 ? device : null };
}

/** Client IP and user agent of the current request (pages, actions, route handlers). */
export async function getRequestContext(): Promise<RequestContext> {
  const h = await headers();
  return contextFromHeaderBag((name) => h.get(name));
}

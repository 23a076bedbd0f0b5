import "server-only";
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
 * server.mjs stamps every request with `<token>:<socket address>` using a
 * token only this process knows, so a client cannot forge its peer address.
 */
export function peerFromHeader(value: string | null | undefined): string | null {
  const token = process.env.GATEHOUSE_PEER_TOKEN;
  if (!token || !value) return null;
  const sep = value.indexOf(":");
  if (sep < 0 || value.slice(0, sep) !== token) return null;
  return value.slice(sep + 1) || null;
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

import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/server/config";
import { getDb } from "@/lib/server/db/client";
import { asDatabaseUnavailable } from "@/lib/server/db/availability";
import { sessionCookieName } from "@/lib/session-cookie";
import { loadSession, type SessionContext } from "@/lib/server/sessions/load-session";
import { getRequestContext } from "@/lib/server/request-context";
import { decodeSessionToken, sessionTokenMaxAgeSeconds } from "./decode-session-token";

/** The session id inside the next-auth JWT cookie, or null when absent, not ours, or older than the session maximum. */
export async function readSessionId(): Promise<string | null> {
  const config = getConfig();
  const jar = await cookies();
  const token = jar.get(sessionCookieName(config.secureCookies))?.value;
  if (!token) return null;
  return decodeSessionToken(token, config.sessionSecret, sessionTokenMaxAgeSeconds(config));
}

/**
 * The current request's session, validated against its row on every request
 * (memoised per request). Deleting the row ends the session on the next request,
 * and a sensitive change of IP network or browser makes it untrusted.
 */
export const getCurrentSession = cache(async (): Promise<SessionContext | null> => {
  const sid = await readSessionId();
  if (!sid) return null;
  const request = await getRequestContext();
  // Every console page starts here: when the database is unreachable, throw the
  // error whose digest the error boundaries recognise (they show the outage message).
  return loadSession(getDb(), sid, request).catch((error: unknown) => {
    throw asDatabaseUnavailable(error);
  });
});

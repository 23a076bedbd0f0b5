/**
 * What the server and the browser agree on when Gatehouse cannot reach its
 * database (lib/server/db/availability.ts marks it; the error boundaries and
 * server.mjs answer it). server.mjs is plain JavaScript outside Next's bundle
 * and repeats these values in lib/server/db/outage-response.mjs.
 */

/** The digest of the error a page throws when the database is unreachable; error boundaries recognise it. */
export const DATABASE_UNAVAILABLE_DIGEST = "GATEHOUSE_DATABASE_UNAVAILABLE";

/** Sent as Retry-After with every 503 of an outage. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** How often a page showing the outage asks /api/health again (the server's own probe runs every 2 s). */
export const DATABASE_RECHECK_MS = 3_000;

export const DATABASE_UNAVAILABLE_TITLE = "Gatehouse cannot reach its database right now";

/** The message of actions refused during an outage (the form keeps what was typed). */
export const DATABASE_UNAVAILABLE_ACTION_MESSAGE = "Gatehouse cannot reach its database right now. Nothing was changed; try again in a moment.";

/** Did a server component fail because the database is unreachable? (Its digest survives production builds; its message does not.) */
export function isDatabaseUnavailableDigest(error: unknown): boolean {
  return typeof error === "object" && error !== null && Reflect.get(error, "digest") === DATABASE_UNAVAILABLE_DIGEST;
}

import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { resolveResourceType } from "./resource-errors";
import { toPublicResource, type PublicResource } from "./to-public-resource";

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface ListResourcesInput {
  orgId: string;
  type: string;
  /** 1 to 100; 25 when left out. */
  limit?: number;
  /** `nextCursor` of the previous page; null or left out for the first page. */
  cursor?: string | null;
  /** Only these ids (an API key restricted to chosen resources); all when left out. */
  onlyIds?: readonly string[];
}

export interface ResourcePage {
  data: PublicResource[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface Position {
  createdAt: Date;
  id: string;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([A-Za-z0-9_-]{1,64})$/;

/** Opaque to callers: base64url of the last row's creation time and id. */
export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.createdAt.toISOString()}|${p.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): Position {
  const match = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8")) : null;
  const createdAt = match ? new Date(match[1]) : null;
  if (!match || !createdAt || Number.isNaN(createdAt.getTime())) {
    throw new AppError("validation_failed", "The cursor is not valid.", { fieldErrors: { cursor: ["Use the cursor of the previous page, or none for the first page."] } });
  }
  return { createdAt, id: match[2] };
}

/**
 * One page of the organization's resources of `type`, newest first, by keyset
 * on (createdAt, id): a page starts strictly after the previous page's last
 * row, so rows created or deleted while paging never shift the others (new
 * ones appear on a fresh first page). Never OFFSET.
 */
export async function listResources(db: Db, { orgId, type, limit = DEFAULT_PAGE_SIZE, cursor, onlyIds }: ListResourcesInput): Promise<ResourcePage> {
  const def = resolveResourceType(type);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new AppError("validation_failed", `The limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, {
      fieldErrors: { limit: [`Use a whole number from 1 to ${MAX_PAGE_SIZE}.`] },
    });
  }
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await db.platformResource.findMany({
    where: {
      organizationId: orgId,
      type: def.type,
      ...(onlyIds && { id: { in: [...onlyIds] } }),
      ...(after && { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page.map(toPublicResource), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

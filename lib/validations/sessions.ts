import { z } from "zod";

/** A session's public handle (never its secret id). */
export const sessionIdSchema = z.object({ sessionId: z.string().min(16).max(64).regex(/^[A-Za-z0-9_-]+$/) });
export const emptySchema = z.object({});

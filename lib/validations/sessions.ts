import { z } from "zod";

export const sessionIdSchema = z.object({ sessionId: z.string().min(16).max(128) });
export const emptySchema = z.object({});

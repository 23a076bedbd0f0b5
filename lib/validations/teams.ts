import { z } from "zod";

/** A team or workspace name: what people call it; unique per organization (teams) or team (workspaces). */
export const scopeNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(60, "Use at most 60 characters.")
  .regex(/^[^\u0000-\u001f\u007f]+$/, "Use printable characters only.");

export const createTeamSchema = z.object({ name: scopeNameSchema });
export const renameTeamSchema = z.object({ teamId: z.string().min(1).max(64), name: scopeNameSchema });
export const deleteTeamSchema = z.object({ teamId: z.string().min(1).max(64) });
export const createWorkspaceSchema = z.object({ teamId: z.string().min(1).max(64), name: scopeNameSchema });
export const renameWorkspaceSchema = z.object({ workspaceId: z.string().min(1).max(64), name: scopeNameSchema });
export const deleteWorkspaceSchema = z.object({ workspaceId: z.string().min(1).max(64) });
export const teamMemberSchema = z.object({ teamId: z.string().min(1).max(64), userId: z.string().min(1).max(64) });

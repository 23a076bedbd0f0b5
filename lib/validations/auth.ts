import { z } from "zod";
import { ROLES } from "@/lib/permissions";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email addresses are at most 254 characters.")
  .pipe(z.email("Enter a valid email address."));

export const newPasswordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(256, "Use at most 256 characters.");

export const personNameSchema = z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters.");

export const orgNameSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(80, "Use at most 80 characters.");

export const setupSchema = z
  .object({
    token: z.string().min(1, "This setup link is incomplete.").max(128),
    name: personNameSchema,
    email: emailSchema,
    password: newPasswordSchema,
    confirmPassword: z.string(),
    orgName: orgNameSchema,
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(256),
});

export const roleSchema = z.enum(ROLES, { message: "Choose a role." });

export const inviteMemberSchema = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleSchema = z.object({ membershipId: z.string().min(1).max(64), role: roleSchema });
export const membershipIdSchema = z.object({ membershipId: z.string().min(1).max(64) });
export const invitationIdSchema = z.object({ invitationId: z.string().min(1).max(64) });
export const switchOrgSchema = z.object({ orgId: z.string().min(1).max(64) });

export const acceptInvitationNewUserSchema = z
  .object({
    token: z.string().min(16).max(128),
    name: personNameSchema,
    password: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

export const acceptInvitationExistingUserSchema = z.object({ token: z.string().min(16).max(128) });

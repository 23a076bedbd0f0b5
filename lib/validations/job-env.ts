import { z } from "zod";

export const MAX_JOB_ENV_VALUE_BYTES = 32_768;

/** A POSIX-style environment variable name (what a shell and most runners accept). */
export const jobEnvNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(128, "Use at most 128 characters.")
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Use letters, digits and underscores, not starting with a digit (e.g. DATABASE_URL).");

/** Plain text, possibly with {{secrets.NAME}} references; never trimmed (spaces may matter to a job). */
export const jobEnvValueSchema = z
  .string({ error: "Enter a value." })
  .refine((v) => !v.includes("\u0000"), "The value may not contain a NUL character.")
  .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_JOB_ENV_VALUE_BYTES, `The value may be at most ${MAX_JOB_ENV_VALUE_BYTES} bytes.`);

const optionalId = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().min(1).max(64).optional());

/** A new variable: organization-wide, or a Prop's override when `prop_id` is set. */
export const createJobEnvVarSchema = z.object({
  name: jobEnvNameSchema,
  value: jobEnvValueSchema,
  prop_id: optionalId,
});

/** A change: the value, the name, or both. */
export const updateJobEnvVarSchema = z
  .object({ name: jobEnvNameSchema.optional(), value: jobEnvValueSchema.optional() })
  .refine((v) => v.name !== undefined || v.value !== undefined, { message: "Change the name or the value.", path: ["_form"] });

export type JobEnvSource = "organization" | "override";

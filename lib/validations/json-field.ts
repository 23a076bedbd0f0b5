import { z } from "zod";

/** A form field holding JSON (e.g. a WebAuthn response), parsed and then checked against `schema`. */
export function jsonField<S extends z.ZodType>(schema: S, maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "The security key response is malformed." });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

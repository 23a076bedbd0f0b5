import { z } from "zod";
import { INTAKE_PROVIDERS } from "@/lib/integrations/verify-inbound";

/** Set up an intake, or rotate its secret (the console's forms). */
export const intakeProviderFormSchema = z.object({ provider: z.enum(INTAKE_PROVIDERS, { error: "Choose GitHub, Gitea or Standard Webhooks." }) });
export const intakeIdFormSchema = z.object({ intakeId: z.string().regex(/^itk_[A-Za-z0-9_-]{1,64}$/, "Unknown intake.") });

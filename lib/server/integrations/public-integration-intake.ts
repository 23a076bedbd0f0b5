import "server-only";
import type { IntakeProvider } from "@/lib/integrations/verify-inbound";

export interface PublicIntegrationIntake {
  id: string;
  provider: IntakeProvider;
  /** Path of the intake URL (the console prefixes PUBLIC_URL). */
  path: string;
  created_at: string;
  secret_rotated_at: string;
  last_accepted_at: string | null;
  last_denied_at: string | null;
}

export function intakePath(provider: string, id: string): string {
  return `/api/v1/integrations/${provider}/webhook/${id}`;
}

export function toPublicIntegrationIntake(row: {
  id: string;
  provider: string;
  createdAt: Date;
  secretRotatedAt: Date;
  lastAcceptedAt: Date | null;
  lastDeniedAt: Date | null;
}): PublicIntegrationIntake {
  return {
    id: row.id,
    provider: row.provider as IntakeProvider,
    path: intakePath(row.provider, row.id),
    created_at: row.createdAt.toISOString(),
    secret_rotated_at: row.secretRotatedAt.toISOString(),
    last_accepted_at: row.lastAcceptedAt?.toISOString() ?? null,
    last_denied_at: row.lastDeniedAt?.toISOString() ?? null,
  };
}

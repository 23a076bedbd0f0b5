/** What the API keys page hands its client components: plain data, dates as ISO strings, never a key or hash. */

export type KeyDisplayStatus = "active" | "grace" | "expired" | "revoked";

export interface ResourceOption {
  id: string;
  name: string;
}

export interface ResourceGroup {
  type: string;
  label: string;
  labelPlural: string;
  items: ResourceOption[];
}

export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  owner: { email: string; name: string } | null;
  mine: boolean;
  agentName: string | null;
  scopes: string[];
  /** Restricted types with the chosen resources (names where known). */
  restrictions: { type: string; label: string; items: ResourceOption[] }[];
  allowedCidrs: string[];
  rateLimitPerMinute: number | null;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  status: KeyDisplayStatus;
  /** The viewer may revoke, roll and edit it. */
  manageable: boolean;
  /** It was rolled: it works only until `expiresAt` (the grace period). */
  rolled: boolean;
}

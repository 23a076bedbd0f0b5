/**
 * A platform resource as the API, webhooks, exports and the console show it:
 * its identity, every field of its type (null when unset), its timestamps.
 * Pure type, so client components can hold one.
 */
export interface PublicResource {
  id: string;
  type: string;
  name: string;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

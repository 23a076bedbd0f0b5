import { SCOPE_FAMILIES, WILDCARD } from "./scopes";

/**
 * A key's scopes as people read them, grouped by family in catalogue order:
 * ["props:read", "props:write", "monitor:read"] → ["Props: read, write",
 * "Monitoring: read"]; the wildcard reads "Full access (*)".
 */
export function summarizeScopes(scopes: readonly string[]): string[] {
  if (scopes.includes(WILDCARD)) return ["Full access (*)"];
  const out: string[] = [];
  for (const family of SCOPE_FAMILIES) {
    const verbs = family.verbs.filter((v) => scopes.includes(`${family.family}:${v}`));
    if (verbs.length) out.push(`${family.label}: ${verbs.join(", ")}`);
  }
  return out;
}

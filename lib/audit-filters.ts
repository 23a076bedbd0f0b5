import { AUDIT_ACTION_LABELS, auditActionLabel, humanizeAuditAction } from "@/lib/audit-labels";
import { RESOURCE_TYPES } from "@/lib/resources/registry";

/**
 * Every action the audit log knows a name for, grouped by the resource it acts
 * on (the part before the dot), for the action filter. Pure data: the labels
 * module plus created/updated/deleted of each platform resource type.
 */
export function auditActionGroups(): { resource: string; label: string; actions: { code: string; label: string }[] }[] {
  const codes = new Set<string>(Object.keys(AUDIT_ACTION_LABELS));
  for (const r of RESOURCE_TYPES) for (const verb of ["created", "updated", "deleted"]) codes.add(`${r.type}.${verb}`);
  const groups = new Map<string, { code: string; label: string }[]>();
  for (const code of [...codes].sort()) {
    const resource = code.split(".")[0];
    const list = groups.get(resource) ?? [];
    list.push({ code, label: auditActionLabel(code) });
    groups.set(resource, list);
  }
  return [...groups.entries()].map(([resource, actions]) => ({ resource, label: humanizeAuditAction(resource), actions }));
}

/** Action codes whose readable name contains `text` (free-text search over labels, case-insensitive). */
export function auditActionsMatching(text: string): string[] {
  const needle = text.toLowerCase();
  if (!needle) return [];
  return auditActionGroups()
    .flatMap((g) => g.actions)
    .filter((a) => a.label.toLowerCase().includes(needle))
    .map((a) => a.code);
}

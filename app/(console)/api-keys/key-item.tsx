import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatDateTime, formatRelative } from "@/lib/format";
import { summarizeScopes } from "@/lib/api-keys/scope-summary";
import { WILDCARD } from "@/lib/api-keys/scopes";
import { KeyControls } from "./key-controls";
import type { RateLimitInfo } from "./create-key-form";
import type { KeyDisplayStatus, KeyView, ResourceGroup } from "./key-view";

const STATUS: Record<KeyDisplayStatus, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "success" },
  grace: { label: "Rolled: in grace period", tone: "warning" },
  expired: { label: "Expired", tone: "neutral" },
  revoked: { label: "Revoked", tone: "danger" },
};

const dt = "text-xs font-medium text-zinc-500 dark:text-zinc-400";
const dd = "min-w-0 text-sm break-words text-zinc-800 dark:text-zinc-200";

function expiryText(k: KeyView): string {
  if (!k.expiresAt) return "Never";
  const at = new Date(k.expiresAt);
  const relative = formatRelative(at);
  if (k.status === "grace") return `Old key works until ${formatDateTime(at)} (${relative}); the new key replaces it`;
  return `${formatDateTime(at)} (${relative})`;
}

/** One key: what it may do, where, until when, its last use, and (when allowed) its controls. */
export function KeyItem({ k, showOwner, resources, rateLimit }: { k: KeyView; showOwner: boolean; resources: ResourceGroup[]; rateLimit: RateLimitInfo | null }) {
  const status = STATUS[k.status];
  const scopes = summarizeScopes(k.scopes);
  const inactive = k.status === "expired" || k.status === "revoked";
  return (
    <li id={`key-${k.id}`} className="scroll-mt-20 space-y-3 px-5 py-4" data-testid="api-key" data-key-name={k.name} data-status={k.status}>
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <p className={`text-sm font-semibold break-all ${inactive ? "text-zinc-500 dark:text-zinc-400" : ""}`}>{k.name}</p>
            <Badge tone={status.tone}>{status.label}</Badge>
            {k.scopes.includes(WILDCARD) && <Badge tone="danger">Full access</Badge>}
            {k.agentName && <Badge tone="brand">Agent: {k.agentName}</Badge>}
          </div>
          <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
            <span className="font-mono" data-testid="api-key-prefix">
              {k.prefix}…
            </span>
            {showOwner && (
              <>
                {" "}
                · owned by {k.mine ? "you" : (k.owner?.email ?? "a former member")}
              </>
            )}
          </p>
        </div>
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[8rem_1fr]">
        <dt className={dt}>Scopes</dt>
        <dd className={dd} data-testid="api-key-scopes">
          {scopes.length ? scopes.join(" · ") : "None"}
        </dd>
        <dt className={dt}>Restrictions</dt>
        <dd className={dd}>
          {k.restrictions.length === 0 && k.allowedCidrs.length === 0 && k.rateLimitPerMinute === null ? (
            <span className="text-zinc-500 dark:text-zinc-400">None: all resources, any network, default rate limit</span>
          ) : (
            <ul className="space-y-0.5">
              {k.restrictions.map((r) => (
                <li key={r.type}>
                  {r.label}: {r.items.map((i) => i.name).join(", ")}
                </li>
              ))}
              {k.allowedCidrs.length > 0 && (
                <li>
                  Networks: <span className="font-mono text-xs">{k.allowedCidrs.join(", ")}</span>
                </li>
              )}
              {k.rateLimitPerMinute !== null && <li>Rate limit: {k.rateLimitPerMinute} requests a minute</li>}
            </ul>
          )}
        </dd>
        <dt className={dt}>Created</dt>
        <dd className={dd}>{formatDateTime(new Date(k.createdAt))}</dd>
        <dt className={dt}>Last used</dt>
        <dd className={dd}>
          {k.lastUsedAt ? (
            <>
              {formatRelative(new Date(k.lastUsedAt))}
              {k.lastUsedIp && (
                <>
                  {" "}
                  from <span className="font-mono text-xs">{k.lastUsedIp}</span>
                </>
              )}
            </>
          ) : (
            "Never"
          )}
        </dd>
        <dt className={dt}>{k.status === "revoked" ? "Revoked" : k.status === "expired" ? "Expired" : "Expires"}</dt>
        <dd className={dd}>{k.status === "revoked" && k.revokedAt ? formatDateTime(new Date(k.revokedAt)) : expiryText(k)}</dd>
      </dl>
      {k.manageable && <KeyControls k={k} resources={resources} rateLimit={rateLimit} />}
    </li>
  );
}

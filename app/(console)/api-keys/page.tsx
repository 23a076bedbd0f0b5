import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { getConfig } from "@/lib/server/config";
import { listApiKeys, type ListedApiKey } from "@/lib/server/api-keys/list-api-keys";
import { listRestrictableResources } from "@/lib/server/api-keys/list-restrictable-resources";
import { getApiKeyPolicy } from "@/lib/server/orgs/get-api-key-policy";
import { MAX_OVERRIDE_FACTOR } from "@/lib/server/api-keys/rate-limit-override";
import { scopesForRole } from "@/lib/api-keys/scopes";
import { RESOURCE_TYPES } from "@/lib/resources/registry";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { CreateKeySection } from "./create-key-form";
import { KeyItem } from "./key-item";
import type { KeyDisplayStatus, KeyView, ResourceGroup } from "./key-view";

export const metadata = { title: "API keys" };

function displayStatus(key: ListedApiKey): KeyDisplayStatus {
  if (key.status === "active" && key.rolledToId) return "grace";
  return key.status;
}

export default async function ApiKeysPage() {
  const ctx = await requireOrgSession();
  const db = getDb();
  const canCreate = can(ctx.role, "api_keys.create");
  const readAll = can(ctx.role, "api_keys.read_all");
  const manageAll = ctx.role === "owner" || ctx.role === "admin";
  const [keys, resources, policy] = await Promise.all([
    listApiKeys(db, { orgId: ctx.org.id, userId: ctx.user.id, manageAll: readAll }),
    listRestrictableResources(
      db,
      ctx.org.id,
      RESOURCE_TYPES.map((r) => r.type),
    ),
    getApiKeyPolicy(db, ctx.org.id),
  ]);
  const groups: ResourceGroup[] = RESOURCE_TYPES.map((r) => ({
    type: r.type,
    label: r.label,
    labelPlural: r.labelPlural,
    items: resources.filter((x) => x.type === r.type).map(({ id, name }) => ({ id, name })),
  }));
  const nameOf = (id: string) => resources.find((r) => r.id === id)?.name ?? id;
  const defaultRateLimit = getConfig().apiKeyRateLimitPerMinute;

  const views: KeyView[] = keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    owner: k.owner ? { email: k.owner.email, name: k.owner.name } : null,
    mine: k.ownerId === ctx.user.id,
    agentName: k.agent ? (k.agent.name ?? "an agent that no longer exists") : null,
    scopes: k.scopes,
    restrictions: Object.entries(k.restrictions).map(([type, ids]) => ({
      type,
      label: RESOURCE_TYPES.find((r) => r.type === type)?.labelPlural ?? type,
      items: (ids ?? []).map((id) => ({ id, name: nameOf(id) })),
    })),
    allowedCidrs: k.allowedCidrs,
    rateLimitPerMinute: k.rateLimitPerMinute,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: k.lastUsedIp,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    status: displayStatus(k),
    manageable: canCreate && (manageAll || k.ownerId === ctx.user.id) && k.status === "active",
    rolled: Boolean(k.rolledToId),
  }));
  const active = views.filter((k) => k.status === "active" || k.status === "grace").length;

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let scripts, CI jobs, other services and agents call the Gatehouse REST API (/api/v1). A key can do only what its scopes allow and what its owner's role allows today."
      />
      <div className="space-y-6">
        {!canCreate && (
          <Alert tone="info" title="Read-only">
            Auditors review every key of {ctx.org.name} but do not create, change, roll or revoke keys, so those controls are not shown here. Ask an owner or
            admin to revoke a key that looks wrong.
          </Alert>
        )}
        {canCreate && (
          <CreateKeySection
            allowedScopes={scopesForRole(ctx.role)}
            roleLabel={ROLE_LABELS[ctx.role]}
            resources={groups}
            agents={groups.find((g) => g.type === "agent")?.items ?? []}
            maxLifetimeDays={policy.maxLifetimeDays}
            rateLimit={manageAll ? { defaultPerMinute: defaultRateLimit, maxPerMinute: defaultRateLimit * MAX_OVERRIDE_FACTOR } : null}
          />
        )}
        <Card>
          <CardHeader
            title={readAll ? `Keys of ${ctx.org.name} (${active} active)` : `Your keys (${active} active)`}
            description={
              readAll
                ? "Every key of the organization, newest first. Only a hash of each key is stored; the prefix helps you recognise one."
                : "The keys you own. Owners and admins see every key of the organization."
            }
          />
          {views.length === 0 ? (
            <EmptyState
              title="No API keys yet"
              description="An API key lets a script, a CI job or an agent call the Gatehouse API on your behalf, limited to the scopes you choose, to chosen resources and networks, and until it expires. The key is shown once when you create it."
            />
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="API keys">
              {views.map((k) => (
                <KeyItem
                  key={k.id}
                  k={k}
                  showOwner={readAll}
                  resources={groups}
                  rateLimit={manageAll ? { defaultPerMinute: defaultRateLimit, maxPerMinute: defaultRateLimit * MAX_OVERRIDE_FACTOR } : null}
                />
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}

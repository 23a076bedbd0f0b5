import { getDb } from "@/lib/server/db/client";
import { getConfig } from "@/lib/server/config";
import { checkSecretsHealth } from "@/lib/server/secrets/check-secrets-health";
import type { HealthCheck } from "@/lib/server/secrets/backends/types";
import { formatDateTime } from "@/lib/format";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";

const BACKEND_LABELS = { db: "Database (envelope encryption)", aws_secrets_manager: "AWS Secrets Manager", vault: "HashiCorp Vault (KV v2)" } as const;

function CheckRow({ label, check }: { label: string; check: HealthCheck }) {
  return (
    <tr data-testid={`health-${label}`}>
      <td className="py-2 pr-3">{label}</td>
      <td className="px-3 py-2">{check.ok ? <Badge tone="success">OK</Badge> : <Badge tone="danger">Failed{check.reason ? `: ${check.reason.replace("_", " ")}` : ""}</Badge>}</td>
      <td className="py-2 pl-3 text-zinc-600 tabular-nums dark:text-zinc-400">{check.ms} ms</td>
    </tr>
  );
}

/**
 * Which secrets backend holds the values and whether it answers (the same
 * check as GET /api/v1/health/secrets, shared cache). Owners and admins also
 * see where it points and why a check failed; nobody sees a credential.
 */
export async function BackendHealthCard({ showDetail }: { showDetail: boolean }) {
  const health = await checkSecretsHealth(getDb());
  const config = getConfig().secretsBackend;
  const where =
    config.kind === "aws_secrets_manager"
      ? `Region ${config.region}, names under ${config.prefix || "(no prefix)"}${config.endpoint ? `, endpoint ${config.endpoint}` : ""}`
      : config.kind === "vault"
        ? `${config.address}, mount ${config.mount}, paths under ${config.prefix || "(no prefix)"}, ${config.auth.method === "approle" ? "AppRole" : "token"} auth`
        : "Values are encrypted in this database under GATEHOUSE_MASTER_KEY.";
  const failures = [
    ["List secrets", health.checks.list_secrets],
    ["Read canary", health.checks.get_secret],
  ].flatMap(([label, check]) => ((check as HealthCheck).ok ? [] : [[label as string, (check as HealthCheck).error ?? "failed"] as const]));
  return (
    <Card>
      <CardHeader
        title="Secrets backend"
        description={
          <>
            Where secret values are kept, and whether it answers: Gatehouse lists secrets and reads its own canary (never a value). The same check is served at{" "}
            <a href="/api/v1/health/secrets" className="font-mono text-xs underline underline-offset-2">
              /api/v1/health/secrets
            </a>
            .
          </>
        }
        actions={health.status === "ok" ? <Badge tone="success">Healthy</Badge> : <Badge tone="danger">Unhealthy</Badge>}
      />
      <div className="space-y-3 px-5 py-4 text-sm" data-testid="secrets-backend-card">
        <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
          <dt className="text-zinc-500 dark:text-zinc-400">Backend</dt>
          <dd className="font-medium" data-testid="secrets-backend-name">
            {BACKEND_LABELS[health.backend]} <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">({health.backend})</span>
          </dd>
          {showDetail && (
            <>
              <dt className="text-zinc-500 dark:text-zinc-400">Location</dt>
              <dd className="break-words text-zinc-700 dark:text-zinc-300">{where}</dd>
            </>
          )}
          <dt className="text-zinc-500 dark:text-zinc-400">Checked</dt>
          <dd className="text-zinc-700 dark:text-zinc-300">{formatDateTime(health.checkedAt)}</dd>
        </dl>
        <div className="relative overflow-x-auto">
          <table className="w-full min-w-[18rem] text-left text-sm" aria-label="Secrets backend checks">
            <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <th className="py-2 pr-3 font-medium">Check</th>
                <th className="px-3 py-2 font-medium">Result</th>
                <th className="py-2 pl-3 font-medium">Latency</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              <CheckRow label="List secrets" check={health.checks.list_secrets} />
              <CheckRow label="Read canary" check={health.checks.get_secret} />
            </tbody>
          </table>
        </div>
        {showDetail && failures.length > 0 && (
          <ul className="space-y-1 text-xs break-words text-zinc-600 dark:text-zinc-400" aria-label="Why the checks failed">
            {failures.map(([label, error]) => (
              <li key={label}>
                <span className="font-medium text-zinc-800 dark:text-zinc-200">{label}:</span> {error}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

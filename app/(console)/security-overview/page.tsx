import Link from "next/link";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, isRole, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { getSecurityOverview, type FlaggedKey } from "@/lib/server/audit/get-security-overview";
import { auditFilterQuery } from "@/lib/validations/audit";
import { formatDateTime, formatRelative } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Forbidden } from "@/components/console/forbidden";

export const metadata = { title: "Security overview" };

const link = "font-medium text-brand-700 hover:underline dark:text-brand-300";
const th = "px-4 py-2 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-4 py-2 align-top";

function Stat({ label, value, tone, href, testId }: { label: string; value: number | string; tone: "ok" | "warn" | "bad"; href: string; testId: string }) {
  const color = tone === "ok" ? "text-emerald-700 dark:text-emerald-300" : tone === "warn" ? "text-amber-700 dark:text-amber-300" : "text-red-700 dark:text-red-300";
  return (
    <Link href={href} className="block rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200 transition hover:ring-brand-500 dark:bg-zinc-900 dark:ring-zinc-800" data-testid={testId}>
      <p className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</p>
      <p className={`mt-1 text-2xl font-semibold tabular-nums ${color}`}>{value}</p>
    </Link>
  );
}

function Fine({ children }: { children: React.ReactNode }) {
  return <p className="px-5 py-4 text-sm text-emerald-700 dark:text-emerald-300">✓ {children}</p>;
}

function KeyList({ title, keys, why, testId }: { title: string; keys: FlaggedKey[]; why: (k: FlaggedKey) => string; testId: string }) {
  return (
    <div className="px-5 py-4" data-testid={testId}>
      <h3 className="text-sm font-semibold">
        {title} <span className="font-normal text-zinc-500 dark:text-zinc-400">({keys.length})</span>
      </h3>
      {keys.length === 0 ? (
        <p className="mt-1 text-sm text-emerald-700 dark:text-emerald-300">✓ None.</p>
      ) : (
        <ul className="mt-2 space-y-1.5 text-sm">
          {keys.map((k) => (
            <li key={k.id} className="flex flex-wrap items-baseline gap-x-2">
              <Link href={`/api-keys#key-${k.id}`} className={link}>{k.name}</Link>
              <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{k.prefix}…</span>
              <span className="text-zinc-500 dark:text-zinc-400">{why(k)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export default async function SecurityOverviewPage() {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "security_overview.read")) return <Forbidden title="Security overview" roleLabel={ROLE_LABELS[ctx.role]} />;
  const now = new Date();
  const o = await getSecurityOverview(getDb(), ctx.org.id, now);
  const members = o.members.length;
  const with2fa = members - o.withoutSecondFactor.length;
  const flaggedKeys = new Set([...o.keys.wildcard, ...o.keys.noExpiry, ...o.keys.unused90d, ...o.keys.orphaned].map((k) => k.id)).size;
  const audit = (filter: Parameters<typeof auditFilterQuery>[0]) => `/audit?${auditFilterQuery(filter)}`;
  const check = o.lastChainVerification;
  const checkTone = !check ? "warn" : check.ok ? "ok" : "bad";

  return (
    <>
      <PageHeader title="Security overview" description={`The security posture of ${ctx.org.name} at a glance. Every item links to the page that fixes it. As of ${formatDateTime(now)}.`} />
      <div className="space-y-6">
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <Stat label="2FA adoption" value={members ? `${Math.round((with2fa / members) * 100)}%` : "—"} tone={o.withoutSecondFactor.length ? "warn" : "ok"} href="#two-factor" testId="stat-2fa" />
          <Stat label="API keys flagged" value={flaggedKeys} tone={flaggedKeys ? "warn" : "ok"} href="#api-keys" testId="stat-keys" />
          <Stat label="Failed sign-ins (24 h)" value={o.last24h.failedSignIns} tone={o.last24h.failedSignIns ? "warn" : "ok"} href="#activity" testId="stat-failed" />
          <Stat label="Audit chain" value={!check ? "Never checked" : check.ok ? "Intact" : "Broken"} tone={checkTone} href="#chain" testId="stat-chain" />
        </div>

        <Card>
          <div id="two-factor" className="scroll-mt-20" />
          <CardHeader
            title="Two-factor authentication"
            description={`${with2fa} of ${members} members have a second factor (authenticator app or security key).${o.require2fa ? " The organization requires one." : ""}`}
            actions={!o.require2fa ? <Link href="/security" className={`${link} text-sm`}>Require 2FA for everyone</Link> : undefined}
          />
          {o.withoutSecondFactor.length === 0 ? (
            <Fine>Every member has a second factor.</Fine>
          ) : (
            <div className="px-5 py-4" data-testid="without-2fa">
              <p className="text-sm font-medium">Members without a second factor</p>
              <ul className="mt-2 flex flex-wrap gap-2">
                {o.withoutSecondFactor.map((m) => (
                  <li key={m.userId}>
                    <Link href={audit({ actor: m.userId })} className="inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-3 py-1 text-sm text-amber-900 ring-1 ring-amber-200 hover:underline dark:bg-amber-950/50 dark:text-amber-200 dark:ring-amber-900">
                      {m.name} <span className="text-xs opacity-75">{m.email}</span>
                    </Link>
                  </li>
                ))}
              </ul>
              <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
                Each member sets one up on their own <Link href="/security" className={link}>Security</Link> page; owners can require it for everyone there, or remove a member on <Link href="/members" className={link}>Members</Link>.
              </p>
            </div>
          )}
          <div className="overflow-x-auto border-t border-zinc-200 dark:border-zinc-800">
            <table className="w-full min-w-[40rem] text-sm" data-testid="member-security">
              <caption className="sr-only">Second factors and sessions per member</caption>
              <thead className="bg-zinc-50 dark:bg-zinc-900/60">
                <tr>
                  <th scope="col" className={th}>Member</th>
                  <th scope="col" className={th}>Role</th>
                  <th scope="col" className={th}>Authenticator app</th>
                  <th scope="col" className={`${th} text-right`}>Security keys</th>
                  <th scope="col" className={`${th} text-right`}>Sessions</th>
                  <th scope="col" className={`${th} text-right`}>Untrusted</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {o.members.map((m) => (
                  <tr key={m.userId} data-testid="member-security-row" data-email={m.email}>
                    <th scope="row" className={`${td} text-left font-normal`}>
                      <span className="font-medium">{m.name}</span>
                      <span className="block text-xs text-zinc-500 dark:text-zinc-400">{m.email}</span>
                    </th>
                    <td className={td}>{isRole(m.role) ? ROLE_LABELS[m.role] : m.role}</td>
                    <td className={td}>{m.totp ? <Badge tone="success">On</Badge> : <Badge tone={m.securityKeys ? "neutral" : "warning"}>Off</Badge>}</td>
                    <td className={`${td} text-right tabular-nums`}>{m.securityKeys}</td>
                    <td className={`${td} text-right tabular-nums`}>{m.sessions}</td>
                    <td className={`${td} text-right tabular-nums`}>{m.untrustedSessions ? <Badge tone="warning">{m.untrustedSessions}</Badge> : 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="border-t border-zinc-200 px-5 py-3 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400" data-testid="sessions-summary">
            {o.activeSessions} live sessions, {o.untrustedSessions} untrusted.{" "}
            <Link href="/sessions" className={link}>Review sessions</Link>
            {o.membersTotal > members ? ` Showing the first ${members} of ${o.membersTotal} members.` : ""}
          </p>
        </Card>

        <Card>
          <div id="api-keys" className="scroll-mt-20" />
          <CardHeader title="API keys" description={`${o.keys.active} live keys. Narrow, expiring, used keys owned by current members are the safe kind.`} actions={<Link href="/api-keys" className={`${link} text-sm`}>Manage API keys</Link>} />
          <div className="grid divide-y divide-zinc-100 md:grid-cols-2 md:divide-x md:divide-y-0 dark:divide-zinc-800">
            <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
              <KeyList title="Wildcard scope (*)" keys={o.keys.wildcard} why={(k) => `owned by ${k.ownerLabel ?? "a removed user"}`} testId="keys-wildcard" />
              <KeyList title="No expiry" keys={o.keys.noExpiry} why={(k) => `owned by ${k.ownerLabel ?? "a removed user"}`} testId="keys-no-expiry" />
            </div>
            <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
              <KeyList title="Unused for 90 days" keys={o.keys.unused90d} why={(k) => (k.lastUsedAt ? `last used ${formatRelative(k.lastUsedAt, now)}` : "never used")} testId="keys-unused" />
              <KeyList title="Owned by removed members" keys={o.keys.orphaned} why={(k) => `owner ${k.ownerLabel ?? "deleted"} left the organization`} testId="keys-orphaned" />
            </div>
          </div>
        </Card>

        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader title="Webhooks" description="Endpoints that were disabled or are failing." actions={<Link href="/webhooks" className={`${link} text-sm`}>All endpoints</Link>} />
            {o.webhooks.length === 0 ? (
              <Fine>Every endpoint is delivering.</Fine>
            ) : (
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="webhooks-flagged">
                {o.webhooks.map((w) => (
                  <li key={w.id} className="px-5 py-3 text-sm">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link href={`/webhooks/${w.id}`} className={`${link} font-mono break-all`}>{w.url}</Link>
                      {w.status === "disabled" ? <Badge tone="danger">Disabled</Badge> : <Badge tone="warning">Failing</Badge>}
                    </div>
                    <p className="mt-0.5 text-zinc-500 dark:text-zinc-400">
                      {w.status === "disabled" ? (w.disabledReason ?? "Disabled.") : `Failing since ${formatDateTime(w.failingSince!)}.`}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <CardHeader title="Secret rotation" description="Secrets with a rotation policy that are overdue or due soon." actions={<Link href="/secrets" className={`${link} text-sm`}>All secrets</Link>} />
            {o.secrets.length === 0 ? (
              <Fine>No secret is due for rotation.</Fine>
            ) : (
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="secrets-due">
                {o.secrets.map((s) => (
                  <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 text-sm">
                    <Link href="/secrets" className={`${link} font-mono break-all`}>{s.name}</Link>
                    {s.rotation.state === "overdue" ? (
                      <Badge tone="danger">Overdue {Math.abs(s.rotation.daysRemaining)} d</Badge>
                    ) : (
                      <Badge tone="warning">Due in {s.rotation.daysRemaining} d</Badge>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>

        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <div id="activity" className="scroll-mt-20" />
            <CardHeader title="Last 24 hours" description="Failed sign-ins and refused actions, with where they came from." />
            <dl className="grid grid-cols-2 gap-4 px-5 py-4 text-sm">
              <div>
                <dt className="text-zinc-500 dark:text-zinc-400">Failed sign-ins</dt>
                <dd className="mt-0.5 text-xl font-semibold tabular-nums">
                  <Link href={audit({ action: "user.sign_in", outcome: "failure", range: "24h" })} className={link} data-testid="failed-sign-ins">{o.last24h.failedSignIns}</Link>
                </dd>
              </div>
              <div>
                <dt className="text-zinc-500 dark:text-zinc-400">Denied actions</dt>
                <dd className="mt-0.5 text-xl font-semibold tabular-nums">
                  <Link href={audit({ outcome: "denied", range: "24h" })} className={link} data-testid="denied-actions">{o.last24h.denied}</Link>
                </dd>
              </div>
            </dl>
            {o.last24h.topSources.length > 0 && (
              <div className="overflow-x-auto border-t border-zinc-200 dark:border-zinc-800">
                <table className="w-full text-sm" data-testid="top-sources">
                  <caption className="sr-only">Top sources of failed or denied events</caption>
                  <thead className="bg-zinc-50 dark:bg-zinc-900/60">
                    <tr>
                      <th scope="col" className={th}>Source IP</th>
                      <th scope="col" className={`${th} text-right`}>Failed or denied</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                    {o.last24h.topSources.map((s) => (
                      <tr key={s.ip}>
                        <td className={`${td} font-mono`}>
                          <Link href={audit({ q: s.ip, range: "24h" })} className={link}>{s.ip}</Link>
                        </td>
                        <td className={`${td} text-right tabular-nums`}>{s.n}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
          <Card>
            <div id="chain" className="scroll-mt-20" />
            <CardHeader title="Audit chain" description="The last verification of the hash chain (by a reviewer, the CLI or the nightly check)." actions={<Link href="/audit#verify" className={`${link} text-sm`}>Verify now</Link>} />
            <div className="space-y-2 px-5 py-4 text-sm" data-testid="last-chain-check">
              {!check ? (
                <p className="text-amber-700 dark:text-amber-300">The chain has not been verified yet. The nightly check runs once a day; you can run one now from the Audit log.</p>
              ) : (
                <>
                  <p className="flex flex-wrap items-center gap-2">
                    {check.ok ? <Badge tone="success">Intact</Badge> : <Badge tone="danger">Broken</Badge>}
                    <Link href={`/audit/${check.id}`} className={link}>{formatDateTime(check.occurredAt)}</Link>
                    <span className="text-zinc-500 dark:text-zinc-400">by {check.actorType === "system" ? "the nightly check" : (check.actorLabel ?? check.actorType)}</span>
                  </p>
                  {check.ok ? (
                    <p className="text-zinc-600 dark:text-zinc-300">
                      {String(check.metadata.checked ?? "?")} events checked; head <span className="font-mono text-xs break-all">{String(check.metadata.head_hash ?? "—")}</span>
                    </p>
                  ) : (
                    <p className="text-red-700 dark:text-red-300">
                      First broken link at event #{String(check.metadata.broken_at_seq ?? "?")} ({String(check.metadata.reason ?? "unknown")}).
                    </p>
                  )}
                </>
              )}
            </div>
          </Card>
        </div>
      </div>
    </>
  );
}

import Link from "next/link";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { countResources } from "@/lib/server/resources/count-resources";
import { RESOURCE_DEFINITIONS } from "@/lib/resources/registry";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Forbidden } from "@/components/console/forbidden";

export const metadata = { title: "Platform" };

export default async function PlatformPage() {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "resources.read")) return <Forbidden title="Platform" roleLabel={ROLE_LABELS[ctx.role]} />;
  const counts = await countResources(getDb(), { orgId: ctx.org.id });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageHeader
        title="Platform"
        description={`The resources of ${ctx.org.name} that API keys, webhooks, the audit log and import/export act on. ${total === 0 ? "Nothing has been added yet." : `${total} in all.`}`}
      />
      <ul className="grid gap-3 sm:grid-cols-2 sm:gap-4 xl:grid-cols-3" aria-label="Resource types">
        {RESOURCE_DEFINITIONS.map((def) => {
          const count = counts[def.type] ?? 0;
          return (
            <li key={def.type}>
              <Link href={`/platform/${def.plural}`} className="block h-full rounded-xl" data-testid={`type-${def.plural}`}>
                <Card className="h-full p-4 transition-shadow hover:shadow-md sm:p-5">
                  <div className="flex items-baseline justify-between gap-3">
                    <p className="text-sm font-semibold">{def.labelPlural}</p>
                    <p className="text-2xl font-semibold tracking-tight tabular-nums" aria-label={`${count} ${count === 1 ? def.label.toLowerCase() : def.labelPlural.toLowerCase()}`}>
                      {count}
                    </p>
                  </div>
                  <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{def.description}</p>
                  <p className="mt-3 font-mono text-xs text-zinc-400 dark:text-zinc-500">/api/v1/{def.plural}</p>
                </Card>
              </Link>
            </li>
          );
        })}
      </ul>
    </>
  );
}

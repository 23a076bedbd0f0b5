import Link from "next/link";
import { notFound } from "next/navigation";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { listResources } from "@/lib/server/resources/list-resources";
import { listResourceNames } from "@/lib/server/resources/list-resource-names";
import { resourceTypeByPlural } from "@/lib/resources/registry";
import { resourceFormFields, type FieldChoice } from "@/lib/validations/resources";
import { listTeams } from "@/lib/server/teams/list-teams";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/console/forbidden";
import { ResourceManager, type ResourceTypeView } from "../resource-manager";
import { TypeUsage } from "../describe-type";

export async function generateMetadata({ params }: { params: Promise<{ plural: string }> }) {
  const def = resourceTypeByPlural((await params).plural);
  return { title: def ? `${def.labelPlural} · Platform` : "Platform" };
}

export default async function ResourceTypePage({ params }: { params: Promise<{ plural: string }> }) {
  const def = resourceTypeByPlural((await params).plural);
  if (!def) notFound();
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "resources.read")) return <Forbidden title={def.labelPlural} roleLabel={ROLE_LABELS[ctx.role]} />;
  const db = getDb();
  const canWrite = can(ctx.role, "resources.write");
  const page = await listResources(db, { orgId: ctx.org.id, type: def.type });
  const referenceOptions: Record<string, FieldChoice[]> = {};
  if (canWrite) {
    for (const [field, target] of Object.entries(def.references)) {
      if (target) referenceOptions[field] = (await listResourceNames(db, { orgId: ctx.org.id, type: target })).map((n) => ({ value: n, label: n }));
    }
    if (def.workspaceField) {
      const teams = await listTeams(db, { orgId: ctx.org.id });
      referenceOptions[def.workspaceField] = teams.flatMap((t) => t.workspaces.map((w) => ({ value: w.id, label: `${t.name} / ${w.name}` })));
    }
  }
  const view: ResourceTypeView = {
    type: def.type,
    label: def.label,
    labelPlural: def.labelPlural,
    fields: resourceFormFields(def),
    columns: def.columns.map((c) => ({ name: c, label: def.ui[c]?.label ?? c })),
    referenceOptions,
  };
  const readOnlyReason = canWrite
    ? null
    : `Your role (${ROLE_LABELS[ctx.role]}) can read ${def.labelPlural.toLowerCase()} but not change them. Owners, admins and members can.`;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/platform" className="text-zinc-500 hover:text-zinc-800 hover:underline dark:text-zinc-400 dark:hover:text-zinc-200">
          Platform
        </Link>
        <span aria-hidden className="mx-1.5 text-zinc-400">
          /
        </span>
        <span className="text-zinc-700 dark:text-zinc-300">{def.labelPlural}</span>
      </nav>
      <PageHeader title={def.labelPlural} description={def.description} />
      <ResourceManager
        view={view}
        initial={page}
        canWrite={canWrite}
        readOnlyReason={readOnlyReason}
        emptyState={
          <EmptyState
            title={`No ${def.labelPlural.toLowerCase()} yet`}
            description={`${def.description} ${canWrite ? `Create one with “New ${def.label.toLowerCase()}”, or through the API.` : ""}`}
          >
            <TypeUsage def={def} />
          </EmptyState>
        }
      />
    </>
  );
}

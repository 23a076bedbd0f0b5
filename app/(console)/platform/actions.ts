"use server";
import { revalidatePath } from "next/cache";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { createResource } from "@/lib/server/resources/create-resource";
import { updateResource } from "@/lib/server/resources/update-resource";
import { deleteResource } from "@/lib/server/resources/delete-resource";
import { listResources } from "@/lib/server/resources/list-resources";
import type { PublicResource } from "@/lib/server/resources/to-public-resource";
import { resourceType } from "@/lib/resources/registry";
import { createResourceFormSchema, deleteResourceFormSchema, resourcePageFormSchema, updateResourceFormSchema } from "@/lib/validations/resources";

type Action<T = undefined> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;

// Platform resources are not in DESIGN.md's list of sensitive actions: a trusted
// session with resources.write (owners, admins, members) is the guard, no sudo.

function revalidate(type: string) {
  const def = resourceType(type);
  revalidatePath("/platform");
  if (def) revalidatePath(`/platform/${def.plural}`);
}

/** Create a resource from the generated form. */
export const createResourceAction: Action<PublicResource> = defineAction(
  { schema: createResourceFormSchema, guard: { permission: "resources.write" } },
  async ({ type, values }, ctx) => {
    const created = await createResource(getDb(), { orgId: ctx.org.id, type, actor: ctx.actor, input: values });
    revalidate(type);
    return { ok: true, data: created, message: `Created ${created.name}.` };
  },
);

/** Save the edit form: every field is sent; an empty one clears it. */
export const updateResourceAction: Action<PublicResource> = defineAction(
  { schema: updateResourceFormSchema, guard: { permission: "resources.write" } },
  async ({ type, id, values }, ctx) => {
    const updated = await updateResource(getDb(), { orgId: ctx.org.id, type, id, actor: ctx.actor, patch: values });
    revalidate(type);
    return { ok: true, data: updated, message: `Saved ${updated.name}.` };
  },
);

/** Delete after the form's confirmation step. */
export const deleteResourceAction: Action<{ id: string }> = defineAction(
  { schema: deleteResourceFormSchema, guard: { permission: "resources.write" } },
  async ({ type, id }, ctx) => {
    const deleted = await deleteResource(getDb(), { orgId: ctx.org.id, type, id, actor: ctx.actor });
    revalidate(type);
    return { ok: true, data: { id: deleted.id }, message: `Deleted ${deleted.name}.` };
  },
);

/** The next page of a list ("Load more"); reading, so an untrusted session may too. */
export const loadMoreResourcesAction: Action<{ data: PublicResource[]; nextCursor: string | null }> = defineAction(
  { schema: resourcePageFormSchema, guard: { permission: "resources.read", allowUntrusted: true } },
  async ({ type, cursor }, ctx) => {
    const page = await listResources(getDb(), { orgId: ctx.org.id, type, cursor });
    return { ok: true, data: page };
  },
);

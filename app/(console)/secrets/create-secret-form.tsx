"use client";
import { useState } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { SudoForm } from "@/components/security/sudo-form";
import { SECRET_CATEGORIES, SECRET_CATEGORY_LABELS } from "@/lib/validations/secrets";
import { createSecretAction } from "./actions";

export interface ScopeChoices {
  teams: { id: string; name: string }[];
  workspaces: { id: string; label: string }[];
}

const errorsOf = (r: { ok: boolean; fieldErrors?: Record<string, string[]> } | null, field: string) => (r && !r.ok ? r.fieldErrors?.[field] : undefined);

/** Owners and admins add a secret at the organization, a team or a workspace (sudo). */
export function CreateSecretForm({ choices }: { choices: ScopeChoices }) {
  const [scope, setScope] = useState<"organization" | "team" | "workspace">("organization");
  return (
    <Card>
      <CardHeader title="Add a secret" description="The value is encrypted before it is stored and is never shown in lists. For the same name, the narrowest scope wins: workspace, then team, then organization." />
      <SudoForm action={createSecretAction} submitLabel="Save secret" pendingLabel="Saving…" variant="primary" className="px-5 py-4" ariaLabel="Add a secret">
        {(r) => (
          <div className="grid gap-4 md:grid-cols-2">
            <Field name="name" label="Name" placeholder="STRIPE_API_KEY" autoComplete="off" errors={errorsOf(r, "name")} hint="Letters, digits and underscores; jobs reference it as {{secrets.NAME}}." />
            <Field name="secret" label="Value" type="password" autoComplete="off" errors={errorsOf(r, "value")} />
            <SelectField label="Scope" name="scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
              <option value="organization">Organization</option>
              <option value="team" disabled={choices.teams.length === 0}>
                Team
              </option>
              <option value="workspace" disabled={choices.workspaces.length === 0}>
                Workspace
              </option>
            </SelectField>
            {scope === "team" && (
              <SelectField label="Team" name="teamId" errors={errorsOf(r, "teamId")}>
                {choices.teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </SelectField>
            )}
            {scope === "workspace" && (
              <SelectField label="Workspace" name="workspaceId" errors={errorsOf(r, "workspaceId")}>
                {choices.workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.label}
                  </option>
                ))}
              </SelectField>
            )}
            <SelectField label="Category" name="category" defaultValue="provider" errors={errorsOf(r, "category")}>
              {SECRET_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {SECRET_CATEGORY_LABELS[c]}
                </option>
              ))}
            </SelectField>
            <Field name="description" label="Description (optional)" errors={errorsOf(r, "description")} />
          </div>
        )}
      </SudoForm>
    </Card>
  );
}

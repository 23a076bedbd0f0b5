"use client";
import { Card, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { SudoForm } from "@/components/security/sudo-form";
import { createJobEnvVarAction } from "./actions";

const errorsOf = (r: { ok: boolean; fieldErrors?: Record<string, string[]> } | null, field: string) => (r && !r.ok ? r.fieldErrors?.[field] : undefined);

/** Owners and admins add an organization variable, or a Prop's override (sudo). */
export function CreateJobEnvForm({ props }: { props: { id: string; name: string }[] }) {
  return (
    <Card>
      <CardHeader
        title="Add a variable"
        description="Organization variables reach every Prop's jobs; an override replaces the organization value for one Prop. Reference a vault secret as {{secrets.NAME}}: it is resolved only when a run's environment is resolved."
      />
      <SudoForm action={createJobEnvVarAction} submitLabel="Save variable" pendingLabel="Saving…" variant="primary" className="px-5 py-4" ariaLabel="Add a variable">
        {(r) => (
          <div className="grid gap-4 md:grid-cols-3">
            <Field name="name" label="Name" placeholder="DATABASE_URL" autoComplete="off" spellCheck={false} errors={errorsOf(r, "name")} hint="Letters, digits and underscores." />
            <Field name="value" label="Value" placeholder="postgres://app:{{secrets.DB_PASSWORD}}@db/app" autoComplete="off" spellCheck={false} errors={errorsOf(r, "value")} hint="Plain text; \{{ for literal braces." />
            <SelectField label="Applies to" name="prop_id" defaultValue="" errors={errorsOf(r, "prop_id")}>
              <option value="">Every Prop (organization)</option>
              {props.map((p) => (
                <option key={p.id} value={p.id}>
                  Override for {p.name}
                </option>
              ))}
            </SelectField>
          </div>
        )}
      </SudoForm>
    </Card>
  );
}

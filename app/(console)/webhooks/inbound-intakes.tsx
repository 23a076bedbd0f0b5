import { Card, CardHeader } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import { INTAKE_PROVIDERS, INTAKE_PROVIDER_LABELS } from "@/lib/integrations/verify-inbound";
import type { PublicIntegrationIntake } from "@/lib/server/integrations/public-integration-intake";
import { IntakeControls } from "./intake-controls";

const SIGNED_WITH: Record<string, string> = {
  github: "X-Hub-Signature-256",
  gitea: "X-Gitea-Signature",
  standard: "webhook-signature (Standard Webhooks)",
};

/** The organization's inbound webhook intakes: one URL and secret per provider. */
export function InboundIntakes({ intakes, publicUrl, manage }: { intakes: PublicIntegrationIntake[]; publicUrl: string; manage: boolean }) {
  return (
    <Card>
      <CardHeader
        title="Inbound webhooks"
        description="Let GitHub, Gitea or any Standard Webhooks sender tell Gatehouse about pushes: each delivery must carry a valid signature; anything else is refused and recorded in the audit log. A push touches the Prop with that repository."
      />
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Inbound webhook intakes">
        {INTAKE_PROVIDERS.map((provider) => {
          const intake = intakes.find((i) => i.provider === provider) ?? null;
          const label = INTAKE_PROVIDER_LABELS[provider];
          return (
            <li key={provider} data-testid={`intake-${provider}`} className="grid min-w-0 gap-3 px-5 py-4 lg:grid-cols-[12rem_minmax(0,1fr)_auto]">
              <div className="min-w-0">
                <div className="font-medium text-zinc-900 dark:text-zinc-100">{label}</div>
                <div className="text-xs break-words text-zinc-500 dark:text-zinc-400">Signed with {SIGNED_WITH[provider]}</div>
              </div>
              <div className="min-w-0 space-y-1 text-sm">
                {intake ? (
                  <>
                    <code className="block font-mono text-xs break-all text-zinc-800 dark:text-zinc-200">{`${publicUrl}${intake.path}`}</code>
                    <p className="text-xs text-zinc-600 dark:text-zinc-400">
                      Last accepted: {intake.last_accepted_at ? formatDateTime(new Date(intake.last_accepted_at)) : "never"} · Last refused:{" "}
                      {intake.last_denied_at ? formatDateTime(new Date(intake.last_denied_at)) : "never"} · Secret since {formatDateTime(new Date(intake.secret_rotated_at))}
                    </p>
                  </>
                ) : (
                  <span className="text-zinc-500 dark:text-zinc-400">Not set up</span>
                )}
              </div>
              {manage && (
                <div className="min-w-0">
                  <IntakeControls provider={provider} label={label} intakeId={intake?.id ?? null} url={intake ? `${publicUrl}${intake.path}` : null} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

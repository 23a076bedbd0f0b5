import { Badge } from "@/components/ui/badge";

const TRUST = {
  trusted: { tone: "success", label: "Trusted" },
  untrusted: { tone: "warning", label: "Untrusted" },
  pending_second_factor: { tone: "neutral", label: "Awaiting 2FA" },
} as const;

export function TrustBadge({ state }: { state: string }) {
  const t = state in TRUST ? TRUST[state as keyof typeof TRUST] : TRUST.untrusted;
  return <Badge tone={t.tone}>{t.label}</Badge>;
}

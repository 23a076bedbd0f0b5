"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** A signing secret, shown once: copy it now, it is never shown again. */
export function SecretReveal({ secret, note, onDone }: { secret: string; note?: React.ReactNode; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div className="space-y-3" data-testid="webhook-secret-reveal">
      <Alert tone="warning" title="Copy the signing secret now">
        Your receiver needs it to verify the <code>webhook-signature</code> header. Gatehouse will not show it again; rotate the secret if you lose it.
        {note && <span className="mt-1 block">{note}</span>}
      </Alert>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="webhook-secret"
          className="min-w-0 flex-1 rounded-md bg-zinc-50 px-3 py-2 font-mono text-sm break-all text-zinc-900 ring-1 ring-zinc-200 select-all ring-inset dark:bg-zinc-950 dark:text-zinc-100 dark:ring-zinc-800"
        >
          {secret}
        </code>
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied("yes");
            } catch {
              setCopied("failed");
            }
          }}
        >
          {copied === "yes" ? "Copied" : "Copy secret"}
        </Button>
      </div>
      <p aria-live="polite" className="text-xs text-zinc-500 dark:text-zinc-400">
        {copied === "yes" && "The secret is on your clipboard."}
        {copied === "failed" && "Copying was not allowed by the browser: select the secret and copy it by hand."}
      </p>
      <Button size="sm" onClick={onDone}>
        I have copied the secret
      </Button>
    </div>
  );
}

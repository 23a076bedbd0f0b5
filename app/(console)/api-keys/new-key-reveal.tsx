"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** A new raw key, shown once: copy it now, it is never shown again. */
export function NewKeyReveal({ name, raw, note, onDone }: { name: string; raw: string; note?: React.ReactNode; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div className="space-y-3" data-testid="new-key-reveal">
      <Alert tone="warning" title={`Copy the key “${name}” now`}>
        You will not see it again: Gatehouse keeps only a hash of it. If you lose it, roll the key or create a new one.
        {note && <span className="mt-1 block">{note}</span>}
      </Alert>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="new-api-key"
          className="min-w-0 flex-1 rounded-md bg-zinc-50 px-3 py-2 font-mono text-sm break-all text-zinc-900 ring-1 ring-zinc-200 select-all ring-inset dark:bg-zinc-950 dark:text-zinc-100 dark:ring-zinc-800"
        >
          {raw}
        </code>
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(raw);
              setCopied("yes");
            } catch {
              setCopied("failed");
            }
          }}
        >
          {copied === "yes" ? "Copied" : "Copy key"}
        </Button>
      </div>
      <p aria-live="polite" className="text-xs text-zinc-500 dark:text-zinc-400">
        {copied === "yes" && "The key is on your clipboard."}
        {copied === "failed" && "Copying was not allowed by the browser: select the key and copy it by hand."}
      </p>
      <Button size="sm" onClick={onDone}>
        I have copied the key
      </Button>
    </div>
  );
}

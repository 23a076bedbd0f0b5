"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * A credential shown once (a new API key, a webhook signing secret): copy it
 * now, it is never shown again. `noun` names it in the buttons and messages.
 */
export function ShownOnce({
  title,
  explanation,
  note,
  value,
  noun,
  testId,
  valueTestId,
  onDone,
}: {
  title: string;
  explanation: React.ReactNode;
  note?: React.ReactNode;
  value: string;
  noun: string;
  testId: string;
  valueTestId: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div className="space-y-3" data-testid={testId}>
      <Alert tone="warning" title={title}>
        {explanation}
        {note && <span className="mt-1 block">{note}</span>}
      </Alert>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid={valueTestId}
          className="min-w-0 flex-1 rounded-md bg-zinc-50 px-3 py-2 font-mono text-sm break-all text-zinc-900 ring-1 ring-zinc-200 select-all ring-inset dark:bg-zinc-950 dark:text-zinc-100 dark:ring-zinc-800"
        >
          {value}
        </code>
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied("yes");
            } catch {
              setCopied("failed");
            }
          }}
        >
          {copied === "yes" ? "Copied" : `Copy ${noun}`}
        </Button>
      </div>
      <p aria-live="polite" className="text-xs text-zinc-500 dark:text-zinc-400">
        {copied === "yes" && `The ${noun} is on your clipboard.`}
        {copied === "failed" && `Copying was not allowed by the browser: select the ${noun} and copy it by hand.`}
      </p>
      <Button size="sm" onClick={onDone}>
        I have copied the {noun}
      </Button>
    </div>
  );
}

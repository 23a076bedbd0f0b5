"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** One-time display of recovery codes with copy, download and print. */
export function RecoveryCodesReveal({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = `Gatehouse recovery codes\nEach code works once. Keep them somewhere safe.\n\n${codes.join("\n")}\n`;

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "gatehouse-recovery-codes.txt";
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="space-y-4" data-print-area>
      <Alert tone="warning" title="Save your recovery codes now">
        They are shown only once. Each code signs you in once if you lose your authenticator or security key.
      </Alert>
      <ul data-testid="recovery-codes" className="grid grid-cols-2 gap-2 rounded-lg bg-zinc-50 p-4 font-mono text-sm ring-1 ring-zinc-200 sm:grid-cols-5 dark:bg-zinc-950 dark:ring-zinc-800">
        {codes.map((c) => (
          <li key={c} className="text-center tracking-wide">
            {c}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2 print:hidden">
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            await navigator.clipboard.writeText(codes.join("\n")).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy codes"}
        </Button>
        <Button variant="secondary" size="sm" onClick={download}>
          Download .txt
        </Button>
        <Button variant="secondary" size="sm" onClick={() => window.print()}>
          Print
        </Button>
        <Button size="sm" className="ml-auto" onClick={onDone}>
          I have saved my recovery codes
        </Button>
      </div>
    </div>
  );
}

"use client";
import Link from "next/link";
import { useState } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";

type Head = { seq: number; hash: string; occurredAt: string } | null;
type Result =
  | { type: "result"; ok: true; checked: number; head: Head; verifiedAt: string }
  | { type: "result"; ok: false; checked: number; head: Head; verifiedAt: string; brokenAtSeq: number; reason: string; eventId: string; expected: string; found: string };

const REASONS: Record<string, string> = {
  hash_mismatch: "the event's content no longer matches its hash (it was altered)",
  link_mismatch: "the event does not point to the hash of the event before it (events were replaced or reordered)",
  gap: "an event is missing from the sequence (it was removed)",
};

/** "Verify chain": streams the server's progress, then shows the head to save or the first broken link. */
export function VerifyChain() {
  const [running, setRunning] = useState(false);
  const [checked, setChecked] = useState(0);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  async function run() {
    setRunning(true);
    setResult(null);
    setError(null);
    setChecked(0);
    setCopied(false);
    try {
      const response = await fetch("/audit/verify", { method: "POST" });
      if (!response.ok || !response.body) throw new Error(`The server answered ${response.status}.`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const text of lines) {
          if (!text) continue;
          const message = JSON.parse(text);
          if (message.type === "progress") setChecked(message.checked);
          else if (message.type === "result") {
            setChecked(message.checked);
            setResult(message);
          } else if (message.type === "error") setError(message.message);
        }
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : "The verification could not finish.");
    } finally {
      setRunning(false);
    }
  }

  function headDocument(r: Result) {
    return JSON.stringify({ chain_head: r.head, checked: r.checked, verified_at: r.verifiedAt, intact: r.ok }, null, 2);
  }

  function download(r: Result) {
    const url = URL.createObjectURL(new Blob([headDocument(r)], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `audit-chain-head-${r.head?.seq ?? 0}.json`;
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <Card>
      <div id="verify" className="scroll-mt-20" />
      <CardHeader
        title="Chain verification"
        description="Recomputes every event's hash in order. Save the head: if a later check shows the same event with the same hash, nothing up to it was rewritten."
        actions={
          <Button variant="secondary" size="sm" onClick={run} disabled={running} data-testid="audit-verify">
            {running ? "Verifying…" : "Verify chain"}
          </Button>
        }
      />
      <div className="space-y-4 px-5 py-4 text-sm" aria-live="polite">
        {!running && !result && !error && <p className="text-zinc-500 dark:text-zinc-400">Not verified in this view yet. The check is recorded in the log.</p>}
        {running && <p data-testid="audit-verify-progress">Checked {checked.toLocaleString("en-US")} events…</p>}
        {error && <Alert tone="error">{error}</Alert>}
        {result?.ok && (
          <Alert tone="success" title="The chain is intact">
            <span data-testid="audit-verify-result" data-ok="true">
              {result.checked.toLocaleString("en-US")} events checked.
            </span>
          </Alert>
        )}
        {result && !result.ok && (
          <Alert tone="error" title={`Broken at event #${result.brokenAtSeq}`}>
            <p data-testid="audit-verify-result" data-ok="false">
              {REASONS[result.reason] ?? result.reason}. {result.checked.toLocaleString("en-US")} events before it are intact.
            </p>
            <p className="mt-1 font-mono text-xs break-all">expected {result.expected}</p>
            <p className="font-mono text-xs break-all">found {result.found}</p>
            <p className="mt-1">
              <Link href={`/audit/${result.eventId}`} className="underline">
                Open the event at the break
              </Link>
            </p>
          </Alert>
        )}
        {result?.head && (
          <div className="space-y-2">
            <p className="font-medium">
              {result.ok ? "Head" : "Last intact event"}: #{result.head.seq} <span className="font-normal text-zinc-500 dark:text-zinc-400">({result.head.occurredAt.slice(0, 16).replace("T", " ")} UTC)</span>
            </p>
            <code className="block rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs break-all dark:bg-zinc-800" data-testid="audit-chain-head">
              {result.head.hash}
            </code>
            <div className="flex flex-wrap gap-2">
              <Button
                variant="secondary"
                size="sm"
                onClick={async () => {
                  await navigator.clipboard.writeText(headDocument(result));
                  setCopied(true);
                }}
              >
                {copied ? "Copied" : "Copy head"}
              </Button>
              <Button variant="secondary" size="sm" onClick={() => download(result)}>
                Download head
              </Button>
            </div>
          </div>
        )}
      </div>
    </Card>
  );
}

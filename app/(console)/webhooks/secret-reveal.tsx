"use client";
import { ShownOnce } from "@/components/security/shown-once";

/** A signing secret, shown once: copy it now, it is never shown again. */
export function SecretReveal({ secret, note, onDone }: { secret: string; note?: React.ReactNode; onDone: () => void }) {
  return (
    <ShownOnce
      title="Copy the signing secret now"
      explanation={
        <>
          Your receiver needs it to verify the <code>webhook-signature</code> header. Gatehouse will not show it again; rotate the secret if you lose it.
        </>
      }
      note={note}
      value={secret}
      noun="secret"
      testId="webhook-secret-reveal"
      valueTestId="webhook-secret"
      onDone={onDone}
    />
  );
}

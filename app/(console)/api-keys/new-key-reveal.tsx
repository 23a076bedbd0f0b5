"use client";
import { ShownOnce } from "@/components/security/shown-once";

/** A new raw key, shown once: copy it now, it is never shown again. */
export function NewKeyReveal({ name, raw, note, onDone }: { name: string; raw: string; note?: React.ReactNode; onDone: () => void }) {
  return (
    <ShownOnce
      title={`Copy the key “${name}” now`}
      explanation="You will not see it again: Gatehouse keeps only a hash of it. If you lose it, roll the key or create a new one."
      note={note}
      value={raw}
      noun="key"
      testId="new-key-reveal"
      valueTestId="new-api-key"
      onDone={onDone}
    />
  );
}

"use client";
import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { FactorForm, type FactorMethod } from "./factor-form";
import { openSudoAction, sudoKeyOptionsAction } from "@/app/(console)/sudo-actions";

/**
 * "Confirm it's you": opens sudo mode with the password, a TOTP code or a
 * security key, then calls onVerified so the caller can retry its action.
 * Rendered into <body> through a portal: callers often render it inside their
 * own <form>, and a form nested in a form is never submitted by React (the
 * browser falls back to the outer form's placeholder action, which CSP blocks).
 */
export function SudoDialog({ open, methods, onVerified, onCancel }: { open: boolean; methods: FactorMethod[]; onVerified: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  // Only opened after an interaction, so rendering nothing until mounted costs nothing.
  const [host, setHost] = useState<HTMLElement | null>(null);
  useEffect(() => setHost(document.body), []);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open, host]);

  if (!host) return null;
  return createPortal(
    <dialog
      ref={ref}
      aria-labelledby="sudo-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl bg-white p-0 text-zinc-900 shadow-2xl ring-1 ring-zinc-200 backdrop:bg-zinc-950/60 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700"
    >
      {open && (
        <div className="p-6">
          <h2 id="sudo-title" className="text-lg font-semibold">
            Confirm it&apos;s you
          </h2>
          <p className="mt-1 mb-5 text-sm text-zinc-600 dark:text-zinc-400">
            This is a sensitive action. Verify once to enter sudo mode; you won&apos;t be asked again for a few minutes.
          </p>
          <FactorForm methods={methods} action={openSudoAction} keyOptionsAction={sudoKeyOptionsAction} submitLabel="Confirm" onSuccess={onVerified} />
          <button type="button" onClick={onCancel} className="mt-4 w-full rounded-md py-2 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800">
            Cancel
          </button>
        </div>
      )}
    </dialog>,
    host,
  );
}

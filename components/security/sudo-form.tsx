"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { cn } from "@/components/ui/cn";

/**
 * A small form for a sensitive server action: submits, asks for sudo when the
 * server answers `sudo_required` and retries, then refreshes the page. The
 * fields are `children` (a function of the last result, for field errors).
 */
export function SudoForm<T>({
  action,
  children,
  submitLabel,
  pendingLabel,
  variant = "secondary",
  className,
  onDone,
  showSuccess = true,
  ariaLabel,
}: {
  action: (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;
  children?: (result: ActionResult<T> | null) => React.ReactNode;
  submitLabel: string;
  pendingLabel: string;
  variant?: "primary" | "secondary" | "danger" | "ghost";
  className?: string;
  onDone?: (result: ActionResult<T> & { ok: true }) => void;
  showSuccess?: boolean;
  ariaLabel?: string;
}) {
  const [, , , dialog, call, asking] = useSudoAction(action);
  const [isPending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const router = useRouter();
  const pending = isPending && !asking;
  return (
    <form
      aria-label={ariaLabel}
      className={cn("space-y-3", className)}
      noValidate
      onSubmit={(e) => {
        // React bubbles the portalled sudo dialog's submit through this form: not ours.
        if (e.target !== e.currentTarget) return;
        e.preventDefault();
        const form = e.currentTarget;
        const formData = new FormData(form);
        startTransition(async () => {
          const r = await call(formData);
          setResult(r);
          if (r.ok) {
            form.reset();
            onDone?.(r);
            router.refresh();
          }
        });
      }}
    >
      {children?.(result)}
      {result && (!result.ok || showSuccess) && (
        <div aria-live="polite">
          <ActionMessage state={result} />
        </div>
      )}
      <Button type="submit" variant={variant} size="sm" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </Button>
      {dialog}
    </form>
  );
}

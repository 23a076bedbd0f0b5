"use client";
import { useFormStatus } from "react-dom";
import { Button } from "./button";

/** A submit button that shows progress and blocks double submits while its form is pending. */
export function SubmitButton({
  children,
  pendingLabel,
  variant,
  size,
  className,
  idle = false,
}: {
  children: React.ReactNode;
  pendingLabel: string;
  variant?: "primary" | "secondary" | "danger" | "ghost";
  size?: "sm" | "md";
  className?: string;
  /** Show the idle label even though the form's action is still running, e.g. while it waits on a confirmation dialog. */
  idle?: boolean;
}) {
  const { pending: submitting } = useFormStatus();
  const pending = submitting && !idle;
  return (
    <Button type="submit" variant={variant} size={size} className={className} disabled={pending} aria-disabled={pending}>
      {pending ? (
        <>
          <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent" />
          {pendingLabel}
        </>
      ) : (
        children
      )}
    </Button>
  );
}

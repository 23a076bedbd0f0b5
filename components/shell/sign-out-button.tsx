"use client";
import { useState } from "react";
import { signOut } from "next-auth/react";
import { safeRedirectPath } from "@/lib/safe-redirect";

/** Signs out through next-auth, which deletes the Session row server-side. */
export function SignOutButton({ callbackUrl = "/sign-in", className, label = "Sign out" }: { callbackUrl?: string; className?: string; label?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await signOut({ redirect: false });
        window.location.assign(safeRedirectPath(callbackUrl, window.location.origin, "/sign-in"));
      }}
    >
      {pending ? "Signing out…" : label}
    </button>
  );
}

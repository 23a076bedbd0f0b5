"use client";
import { useEffect, useState } from "react";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { getSecurityKeyAssertion } from "@/lib/client/webauthn";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { startPasskeySignInAction } from "./actions";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until React has hydrated the form, submitting it would be the browser's own submission: the
  // buttons wait (and the form posts, so a password could never end up in a URL anyway).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  /** A full navigation so every server component sees the new session cookie; never off this origin. */
  function continueToCallback() {
    window.location.assign(safeRedirectPath(callbackUrl, window.location.origin));
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    setPending(true);
    setError(null);
    const result = await signIn("password", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    }).catch(() => null);
    if (result?.ok && !result.error) return continueToCallback();
    setPending(false);
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "The email or password is not correct.");
    const password = formEl.elements.namedItem("password");
    if (password instanceof HTMLInputElement) {
      password.value = "";
      password.focus();
    }
  }

  async function signInWithKey() {
    setPending(true);
    setError(null);
    const started = await startPasskeySignInAction().catch(() => null);
    if (!started?.ok) {
      setPending(false);
      return setError(started?.message ?? "Sign-in is unavailable right now. Try again.");
    }
    const assertion = await getSecurityKeyAssertion(started.data.options);
    if (!assertion.ok) {
      setPending(false);
      return setError(assertion.message);
    }
    const result = await signIn("passkey", {
      challengeId: started.data.challengeId,
      response: JSON.stringify(assertion.response),
      redirect: false,
    }).catch(() => null);
    if (result?.ok && !result.error) return continueToCallback();
    setPending(false);
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "That security key could not be verified.");
  }

  return (
    <>
      <form method="post" onSubmit={onSubmit} className="space-y-5" aria-describedby={error ? "sign-in-error" : undefined}>
        <div aria-live="assertive" id="sign-in-error">
          {error && <Alert tone="error">{error}</Alert>}
        </div>
        <Field name="email" label="Email" type="email" autoComplete="username webauthn" required autoFocus />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
        <Button type="submit" className="w-full" disabled={pending || !hydrated} aria-disabled={pending || !hydrated}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      <div className="my-5 flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400" aria-hidden>
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
        or
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
      </div>
      <Button variant="secondary" className="w-full" disabled={pending || !hydrated} onClick={signInWithKey}>
        Sign in with a security key
      </Button>
    </>
  );
}

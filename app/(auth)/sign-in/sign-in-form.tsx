"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

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
    if (result?.ok && !result.error) {
      // A full navigation so every server component sees the new session cookie.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "The email or password is not correct.");
    const password = formEl.elements.namedItem("password");
    if (password instanceof HTMLInputElement) {
      password.value = "";
      password.focus();
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" aria-describedby={error ? "sign-in-error" : undefined}>
      <div aria-live="assertive" id="sign-in-error">
        {error && <Alert tone="error">{error}</Alert>}
      </div>
      <Field name="email" label="Email" type="email" autoComplete="username" required autoFocus />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={pending} aria-disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

"use client";
import { useActionState, useEffect, useRef, useState } from "react";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { setupAction } from "./actions";

export function SetupForm({ token }: { token: string }) {
  const [state, formAction] = useActionState(setupAction, null);
  const password = useRef("");
  const [signInError, setSignInError] = useState<string | null>(null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;

  // Once the owner exists, sign them straight in through the normal door.
  useEffect(() => {
    if (!state?.ok) return;
    void signIn("password", { email: state.data.email, password: password.current, redirect: false }).then((res) => {
      if (res?.ok && !res.error) window.location.assign("/overview");
      else setSignInError("Your account was created. Sign in to continue.");
    });
  }, [state]);

  if (state?.ok) {
    return signInError ? (
      <Alert tone="success" title="Gatehouse is set up">
        {signInError} <a className="font-medium underline" href="/sign-in">Go to sign-in</a>
      </Alert>
    ) : (
      <Alert tone="success" title="Gatehouse is set up">Signing you in…</Alert>
    );
  }

  return (
    <form action={formAction} className="space-y-5" noValidate>
      <input type="hidden" name="token" value={token} />
      <div aria-live="polite">{state && !state.ok && state.code !== "validation_failed" && <Alert tone="error">{state.message}</Alert>}</div>
      <Field name="orgName" label="Organization name" autoComplete="organization" required errors={errors?.orgName} placeholder="Acme Inc." defaultValue={values?.orgName} />
      <Field name="name" label="Your name" autoComplete="name" required errors={errors?.name} defaultValue={values?.name} />
      <Field name="email" label="Email" type="email" autoComplete="email" required errors={errors?.email} defaultValue={values?.email} />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters. A passphrase works well."
        errors={errors?.password}
        onChange={(e) => (password.current = e.target.value)}
      />
      <Field name="confirmPassword" label="Confirm password" type="password" autoComplete="new-password" required errors={errors?.confirmPassword} />
      <SubmitButton pendingLabel="Creating…" className="w-full">
        Create owner account
      </SubmitButton>
    </form>
  );
}

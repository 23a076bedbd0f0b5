"use client";
import { useActionState, useEffect, useRef, useState } from "react";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { acceptAsNewUserAction, acceptSignedInAction } from "./actions";

export function AcceptAsNewUserForm({ token, email }: { token: string; email: string }) {
  const [state, formAction] = useActionState(acceptAsNewUserAction, null);
  const password = useRef("");
  const [signInFailed, setSignInFailed] = useState(false);
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  useEffect(() => {
    if (!state?.ok) return;
    void signIn("password", { email: state.data.email, password: password.current, redirect: false }).then((res) => {
      if (res?.ok && !res.error) window.location.assign("/overview");
      else setSignInFailed(true);
    });
  }, [state]);

  if (state?.ok) {
    return (
      <Alert tone="success" title="Welcome aboard">
        {signInFailed ? (
          <>
            Your account is ready. <a className="font-medium underline" href="/sign-in">Sign in</a> to continue.
          </>
        ) : (
          "Your account is ready. Signing you in…"
        )}
      </Alert>
    );
  }

  return (
    <form action={formAction} className="space-y-5" noValidate>
      <div aria-live="polite">{state && !state.ok && state.code !== "validation_failed" && <Alert tone="error">{state.message}</Alert>}</div>
      <input type="hidden" name="token" value={token} />
      <Field name="email-display" label="Email" type="email" value={email} readOnly disabled />
      <Field name="name" label="Your name" autoComplete="name" required errors={errors?.name} defaultValue={state && !state.ok ? state.values?.name : undefined} />
      <Field
        name="password"
        label="Choose a password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters."
        errors={errors?.password}
        onChange={(e) => (password.current = e.target.value)}
      />
      <Field name="confirmPassword" label="Confirm password" type="password" autoComplete="new-password" required errors={errors?.confirmPassword} />
      <SubmitButton pendingLabel="Creating account…" className="w-full">
        Create account and join
      </SubmitButton>
    </form>
  );
}

export function AcceptSignedInForm({ token }: { token: string }) {
  const [state, formAction] = useActionState(acceptSignedInAction, null);
  useEffect(() => {
    if (state?.ok) window.location.assign("/overview");
  }, [state]);
  return (
    <form action={formAction} className="space-y-4">
      <div aria-live="polite">
        {state && !state.ok && <Alert tone="error">{state.message}</Alert>}
        {state?.ok && <Alert tone="success">Joined. Opening the console…</Alert>}
      </div>
      <input type="hidden" name="token" value={token} />
      <SubmitButton pendingLabel="Joining…" className="w-full">
        Accept invitation
      </SubmitButton>
    </form>
  );
}

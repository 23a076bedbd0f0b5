import Link from "next/link";
import type { ActionState } from "@/lib/action-result";
import { Alert } from "@/components/ui/alert";

/** Appended to an error when the session is untrusted, so the way out is one click away. */
export function RestoreTrustLink({ code }: { code?: string }) {
  if (code !== "untrusted") return null;
  return (
    <>
      {" "}
      <Link href="/restore-trust" className="font-semibold underline">
        Restore trust
      </Link>
    </>
  );
}

/** The outcome of an action; an untrusted session gets a way to restore trust. */
export function ActionMessage<T>({ state }: { state: ActionState<T> }) {
  if (!state) return null;
  if (state.ok) return state.message ? <Alert tone="success">{state.message}</Alert> : null;
  return (
    <Alert tone="error">
      {state.message}
      <RestoreTrustLink code={state.code} />
    </Alert>
  );
}

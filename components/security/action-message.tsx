import Link from "next/link";
import type { ActionState } from "@/lib/action-result";
import { Alert } from "@/components/ui/alert";

/** The outcome of an action; an untrusted session gets a way to restore trust. */
export function ActionMessage<T>({ state }: { state: ActionState<T> }) {
  if (!state) return null;
  if (state.ok) return state.message ? <Alert tone="success">{state.message}</Alert> : null;
  return (
    <Alert tone="error">
      {state.message}
      {state.code === "untrusted" && (
        <>
          {" "}
          <Link href="/restore-trust" className="font-semibold underline">
            Restore trust
          </Link>
        </>
      )}
    </Alert>
  );
}

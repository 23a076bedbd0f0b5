"use client";
import { createContext, useCallback, useContext, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { SudoDialog } from "./sudo-dialog";
import type { FactorMethod } from "./factor-form";

/** Which methods the current user can open sudo with; provided once by the console layout. */
export const SudoMethodsContext = createContext<FactorMethod[]>(["password"]);

const CANCELLED = "Cancelled: this action needs you to confirm it's you.";

/**
 * Wrap a sensitive server action: when the server answers `sudo_required`, show
 * the re-verification dialog and, once it succeeds, retry the same submission.
 * Returns [state, run, pending, dialog, call, asking]: `run` fires and forgets
 * inside a transition, `call` resolves with the final result; render `dialog`
 * in the tree. `asking` is true while the dialog is open: the refused attempt
 * is over, so buttons show their idle label rather than "Saving…" under the
 * dialog (`pending` already excludes that time; form buttons driven by
 * useFormStatus need `asking`, see SubmitButton's `idle`).
 */
export function useSudoAction<T>(action: (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>) {
  const methods = useContext(SudoMethodsContext);
  const router = useRouter();
  const [state, setState] = useState<ActionState<T>>(null);
  const [transitionPending, startTransition] = useTransition();
  const [waiting, setWaiting] = useState(false);
  const resolver = useRef<((verified: boolean) => void) | null>(null);

  const call = useCallback(
    async (formData: FormData): Promise<ActionResult<T>> => {
      let result = await action(null, formData);
      if (!result.ok && result.code === "sudo_required") {
        const verified = await new Promise<boolean>((resolve) => {
          resolver.current = resolve;
          setWaiting(true);
        });
        if (verified) {
          router.refresh();
          result = await action(null, formData);
        } else {
          result = { ok: false, code: "sudo_required", message: CANCELLED };
        }
      }
      setState(result);
      return result;
    },
    [action, router],
  );

  const run = useCallback(
    (formData: FormData) =>
      startTransition(async () => {
        await call(formData);
      }),
    [call],
  );

  const settle = (verified: boolean) => {
    setWaiting(false);
    resolver.current?.(verified);
    resolver.current = null;
  };

  const dialog = <SudoDialog open={waiting} methods={methods} onCancel={() => settle(false)} onVerified={() => settle(true)} />;
  const pending = transitionPending && !waiting;

  return [state, run, pending, dialog, call, waiting] as const;
}

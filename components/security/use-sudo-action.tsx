"use client";
import { createContext, useCallback, useContext, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { SudoDialog } from "./sudo-dialog";
import type { FactorMethod } from "./factor-form";

/** Which methods the current user can open sudo with; provided once by the console layout. */
export const SudoMethodsContext = createContext<FactorMethod[]>(["password"]);

/**
 * Wrap a sensitive server action: when the server answers `sudo_required`, show
 * the re-verification dialog and, once it succeeds, retry the same submission.
 * Returns [state, run, pending, dialog] — render `dialog` somewhere in the tree.
 */
export function useSudoAction<T>(action: (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>) {
  const methods = useContext(SudoMethodsContext);
  const router = useRouter();
  const [state, setState] = useState<ActionState<T>>(null);
  const [pending, startTransition] = useTransition();
  const [waiting, setWaiting] = useState(false);
  const retry = useRef<FormData | null>(null);

  const run = useCallback(
    (formData: FormData) => {
      startTransition(async () => {
        const result = await action(null, formData);
        if (!result.ok && result.code === "sudo_required") {
          retry.current = formData;
          setWaiting(true);
          return;
        }
        setState(result);
      });
    },
    [action],
  );

  const dialog = (
    <SudoDialog
      open={waiting}
      methods={methods}
      onCancel={() => {
        setWaiting(false);
        retry.current = null;
        setState({ ok: false, code: "sudo_required", message: "Cancelled: this action needs you to confirm it's you." });
      }}
      onVerified={() => {
        setWaiting(false);
        router.refresh();
        const formData = retry.current;
        retry.current = null;
        if (formData) run(formData);
      }}
    />
  );

  return [state, run, pending, dialog] as const;
}

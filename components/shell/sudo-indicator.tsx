"use client";
import { useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { exitSudoAction } from "@/app/(console)/sudo-actions";

function clock(seconds: number) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * Header badge while sudo mode is open: time left and a way out.
 * The server says how many seconds are left; the first render (on the server
 * and at hydration) shows exactly that, and the countdown only ticks after
 * mount, on this browser's clock. Reading the clock during render made the
 * server's text and the browser's differ (React hydration error #418).
 */
export function SudoIndicator({ secondsLeft }: { secondsLeft: number }) {
  const router = useRouter();
  const [left, setLeft] = useState(secondsLeft);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const deadline = Date.now() + secondsLeft * 1000;
    const timer = setInterval(() => {
      const s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      setLeft(s);
      if (s === 0) {
        clearInterval(timer);
        router.refresh();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [secondsLeft, router]);

  return (
    <div
      className="flex shrink-0 items-center gap-2 rounded-full bg-amber-50 py-1 pr-1 pl-3 text-xs font-medium whitespace-nowrap text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-900"
      role="status"
      data-testid="sudo-indicator"
    >
      <span>
        Sudo<span className="max-sm:sr-only"> mode</span> · <span className="tabular-nums">{clock(left)}</span>
      </span>
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            await exitSudoAction(null, new FormData());
            router.refresh();
          })
        }
        className="rounded-full bg-white px-2 py-0.5 ring-1 ring-amber-300 hover:bg-amber-100 dark:bg-amber-900 dark:ring-amber-800 dark:hover:bg-amber-800"
      >
        {pending ? "Exiting…" : (
          <>
            Exit<span className="max-sm:sr-only"> sudo</span>
          </>
        )}
      </button>
    </div>
  );
}

"use client";
import { useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { exitSudoAction } from "@/app/(console)/sudo-actions";

function remaining(until: number) {
  const s = Math.max(0, Math.round((until - Date.now()) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Header badge while sudo mode is open: time left and a way out. */
export function SudoIndicator({ expiresAt }: { expiresAt: string }) {
  const until = new Date(expiresAt).getTime();
  const router = useRouter();
  const [left, setLeft] = useState(() => remaining(until));
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const timer = setInterval(() => {
      setLeft(remaining(until));
      if (Date.now() >= until) {
        clearInterval(timer);
        router.refresh();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [until, router]);

  return (
    <div className="flex items-center gap-2 rounded-full bg-amber-50 py-1 pr-1 pl-3 text-xs font-medium text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-900" role="status" data-testid="sudo-indicator">
      <span>
        Sudo mode · <span className="tabular-nums">{left}</span>
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
        {pending ? "Exiting…" : "Exit sudo"}
      </button>
    </div>
  );
}

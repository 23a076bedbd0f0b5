"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DATABASE_RECHECK_MS, DATABASE_UNAVAILABLE_TITLE, isDatabaseUnavailableDigest } from "@/lib/database-outage";

type Health = "ok" | "database" | "server";

/** What /api/health says: "ok", "database" (503: the database is unreachable), or "server" (no usable answer). */
async function checkHealth(): Promise<Health> {
  try {
    const response = await fetch("/api/health", { cache: "no-store" });
    return response.ok ? "ok" : response.status === 503 ? "database" : "server";
  } catch {
    return "server";
  }
}

/** A whole page (root boundaries) or a card inside the console shell. */
export type RecoveryFrame = "page" | "panel";

function Frame({ frame, children }: { frame: RecoveryFrame; children: React.ReactNode }) {
  if (frame === "panel") return <Card className="px-6 py-12 text-center sm:px-10">{children}</Card>;
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12 text-center">
      <Logo />
      <div className="mt-10">{children}</div>
    </main>
  );
}

const IDLE_STATUS = "Checking again every few seconds.";

/**
 * The body of an error boundary. When the database is unreachable (the
 * error's digest says so, or /api/health answers 503) it says so, asks
 * /api/health every few seconds, and retries the segment once the database
 * answers: no dead end, no reload needed. Any other error gets a plain
 * "something went wrong" with a retry button.
 */
export function ErrorRecovery({ error, retry, frame }: { error: unknown; retry: () => void; frame: RecoveryFrame }) {
  const [kind, setKind] = useState<"checking" | "outage" | "error">(() => (isDatabaseUnavailableDigest(error) ? "outage" : "checking"));
  const [status, setStatus] = useState(IDLE_STATUS);
  const recovering = useRef(false);
  const fallback = useRef(0);

  useEffect(() => console.error(error), [error]);
  // Recovered: this boundary unmounts, and the fallback reload below must not fire.
  useEffect(() => () => window.clearTimeout(fallback.current), []);

  // An error without our digest (a query outside the session lookup): ask the server what it was.
  useEffect(() => {
    if (kind !== "checking") return;
    let cancelled = false;
    void checkHealth().then((health) => !cancelled && setKind(health === "database" ? "outage" : "error"));
    return () => {
      cancelled = true;
    };
  }, [kind]);

  const recover = useCallback(() => {
    if (recovering.current) return;
    recovering.current = true;
    setStatus("The database answers again. Loading the page…");
    retry();
    // Should the retry leave this message up, a full load is the way out.
    fallback.current = window.setTimeout(() => window.location.reload(), 10_000);
  }, [retry]);

  useEffect(() => {
    if (kind !== "outage") return;
    let timer = 0;
    let stopped = false;
    const poll = async () => {
      if ((await checkHealth()) === "ok") recover();
      else if (!stopped) timer = window.setTimeout(poll, DATABASE_RECHECK_MS);
    };
    timer = window.setTimeout(poll, DATABASE_RECHECK_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [kind, recover]);

  const checkNow = async () => {
    setStatus("Checking…");
    if ((await checkHealth()) === "ok") recover();
    else setStatus("Still no answer from the database. Gatehouse keeps retrying.");
  };

  if (kind === "checking") {
    return (
      <Frame frame={frame}>
        <p role="status" className="text-sm text-zinc-500 dark:text-zinc-400">
          Checking what went wrong…
        </p>
      </Frame>
    );
  }

  if (kind === "outage") {
    return (
      <Frame frame={frame}>
        <title>Database unavailable · Gatehouse</title>
        <p className="text-sm font-semibold text-brand-600 dark:text-brand-100">Database unavailable</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">{DATABASE_UNAVAILABLE_TITLE}</h1>
        <p className="mx-auto mt-2 max-w-lg text-sm text-zinc-600 dark:text-zinc-400">
          This is usually brief, for example while the database server restarts. Gatehouse keeps retrying on its own, and this page
          loads again by itself as soon as the database answers.
        </p>
        <p className="mx-auto mt-2 max-w-lg text-sm text-zinc-600 dark:text-zinc-400">
          If it lasts more than a few minutes, tell whoever runs Gatehouse for your organization.
        </p>
        <p role="status" className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">
          {status}
        </p>
        <Button variant="secondary" className="mt-6" onClick={() => void checkNow()}>
          Try again now
        </Button>
      </Frame>
    );
  }

  const digest = typeof error === "object" && error !== null ? Reflect.get(error, "digest") : undefined;
  return (
    <Frame frame={frame}>
      <title>Something went wrong · Gatehouse</title>
      <p className="text-sm font-semibold text-brand-600 dark:text-brand-100">Error</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <p className="mx-auto mt-2 max-w-lg text-sm text-zinc-600 dark:text-zinc-400">
        An unexpected error stopped this page. Try again; if it keeps happening, tell whoever runs Gatehouse for your organization.
      </p>
      {typeof digest === "string" && <p className="mt-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">Reference: {digest}</p>}
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <Button variant="secondary" onClick={retry}>
          Try again
        </Button>
        <Link href="/" className={buttonClasses("ghost")}>
          Back to Gatehouse
        </Link>
      </div>
    </Frame>
  );
}

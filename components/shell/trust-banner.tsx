import Link from "next/link";

/** Shown on every console page while the session is untrusted: reading works, changes do not. */
export function TrustBanner({ reason }: { reason: string }) {
  return (
    <div role="alert" className="border-b border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 lg:px-8 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3">
        <p>
          <strong className="font-semibold">This session is untrusted.</strong> {reason}. You can look around, but changes are blocked until you confirm it&apos;s you.
        </p>
        <Link href="/restore-trust" className="rounded-md bg-amber-900 px-3 py-1.5 text-xs font-semibold text-white hover:bg-amber-800 dark:bg-amber-200 dark:text-amber-950">
          Restore trust
        </Link>
      </div>
    </div>
  );
}

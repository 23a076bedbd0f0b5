import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">This page does not exist</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Check the address, or go back to the console.</p>
      <Link href="/" className={buttonClasses("secondary", "md", "mt-6")}>
        Back to Gatehouse
      </Link>
    </main>
  );
}

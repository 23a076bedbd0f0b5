"use client";
import { useEffect } from "react";
import { ErrorRecovery } from "@/components/outage/error-recovery";
import "./globals.css";

/** Errors of the root layout itself: this replaces it, so it brings its own document, styles and theme. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    document.documentElement.classList.toggle("dark", /(?:^|;\s*)theme=dark(?:;|$)/.test(document.cookie));
  }, []);
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <ErrorRecovery error={error} retry={retry} frame="page" />
      </body>
    </html>
  );
}

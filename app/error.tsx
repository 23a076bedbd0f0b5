"use client";
import { ErrorRecovery } from "@/components/outage/error-recovery";

/** Errors of any page outside the console's own boundary, including the console layout's session lookup. */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorRecovery error={error} retry={retry} frame="page" />;
}

"use client";
import { ErrorRecovery } from "@/components/outage/error-recovery";

/** Errors of a console page: the message replaces the page inside the shell, navigation stays usable. */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorRecovery error={error} retry={retry} frame="panel" />;
}

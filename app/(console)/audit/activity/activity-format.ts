/** Shared by the server card and the client chart (a "use client" module cannot export plain values to the server). */
export const OUTCOME_SERIES = [
  // `swatch` is a class, never an inline style: the CSP refuses style attributes in server HTML.
  { key: "success", label: "Success", color: "var(--color-emerald-500)", swatch: "bg-emerald-500" },
  { key: "denied", label: "Denied", color: "var(--color-amber-500)", swatch: "bg-amber-500" },
  { key: "failure", label: "Failure", color: "var(--color-rose-500)", swatch: "bg-rose-500" },
] as const;

export function bucketLabel(start: string, unit: "hour" | "day", short = false): string {
  const iso = start.slice(0, 16).replace("T", " ");
  if (unit === "day") return short ? iso.slice(5, 10) : iso.slice(0, 10);
  return short ? iso.slice(11, 16) : `${iso} UTC`;
}

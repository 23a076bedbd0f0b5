/**
 * Rotation status of a secret (the seed's RotationPolicy(interval_days,
 * notify_before_days)). Pure, shared by the server and the console.
 */
export type RotationStatus =
  | { state: "none" }
  | { state: "ok" | "due_soon" | "overdue"; daysRemaining: number; dueAt: Date };

const DAY_MS = 86_400_000;

export function rotationStatus(
  policy: { intervalDays: number | null; notifyBeforeDays: number | null; valueChangedAt: Date },
  now: Date,
): RotationStatus {
  if (!policy.intervalDays) return { state: "none" };
  const dueAt = new Date(policy.valueChangedAt.getTime() + policy.intervalDays * DAY_MS);
  const daysRemaining = Math.ceil((dueAt.getTime() - now.getTime()) / DAY_MS);
  if (now >= dueAt) return { state: "overdue", daysRemaining, dueAt };
  if (daysRemaining <= (policy.notifyBeforeDays ?? 0)) return { state: "due_soon", daysRemaining, dueAt };
  return { state: "ok", daysRemaining, dueAt };
}

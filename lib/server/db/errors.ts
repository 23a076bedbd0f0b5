import "server-only";

/**
 * Did a write fail on a unique constraint (Prisma's P2002)? Checked by code,
 * not by class, because each provider's generated client has its own
 * `Prisma` namespace.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && Reflect.get(error, "code") === "P2002";
}

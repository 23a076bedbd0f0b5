import "server-only";

export type AppErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "validation_failed"
  | "conflict"
  | "rate_limited"
  | "setup_complete"
  | "invitation_invalid"
  | "last_owner"
  | "untrusted"
  | "sudo_required"
  | "invalid_factor"
  | "two_factor_required"
  | "setup_token_invalid";

/** The one error domain code throws for expected failures; actions turn it into a result. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: { retryAfterSeconds?: number; fieldErrors?: Record<string, string[]> },
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

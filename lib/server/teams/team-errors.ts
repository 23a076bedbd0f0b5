import "server-only";
import { AppError } from "@/lib/server/errors";
import { isUniqueViolation } from "@/lib/server/db/errors";

export const teamNotFound = () => new AppError("not_found", "That team does not exist.");
export const workspaceNotFound = () => new AppError("not_found", "That workspace does not exist.");

/** A write that hits a (scope, name) unique index: a conflict on `name`, never a 500. */
export function takenNameOr(what: "team" | "workspace", name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", `A ${what} named "${name}" already exists.`, { fieldErrors: { name: [`A ${what} named "${name}" already exists.`] } });
    }
    throw error;
  };
}

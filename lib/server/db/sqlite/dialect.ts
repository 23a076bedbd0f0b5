import "server-only";
import type { Dialect } from "../dialect";

/**
 * SQLite: every transaction already runs alone. In the process, the
 * serialised adapter lets one transaction at a time use the connection; across
 * processes on the same file, transactions begin IMMEDIATE and so hold the
 * database's single write lock from their first statement.
 */
export const sqliteDialect: Dialect = {
  async lockKeys() {},
  // SQLite serves one web instance: nobody else to tell.
  async notify() {},
};

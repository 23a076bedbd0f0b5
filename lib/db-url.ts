/** The two databases Gatehouse runs on. */
export type Provider = "sqlite" | "postgres";

/** `postgres://` or `postgresql://` selects PostgreSQL; `file:` (or anything else) the embedded SQLite default. */
export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

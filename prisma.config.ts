// Prisma CLI configuration (Prisma 7: the datasource URL lives here, not in
// schema.prisma). Run the CLI through `node scripts/prisma.mjs ...`, which
// supplies the offline schema engine.
//
// DATABASE_URL picks the provider, as it does for the app (lib/server/db):
// `file:` or unset → SQLite with prisma/schema.prisma and prisma/migrations;
// `postgres://` or `postgresql://` → PostgreSQL with the derived
// prisma/postgres/schema.prisma and prisma/postgres/migrations.
//
// A relative SQLite path is resolved from the directory the CLI runs in, the
// repository root, which is also where the app resolves it at run time.
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL || "file:./data/gatehouse.db";
const postgres = /^postgres(ql)?:\/\//i.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: {
    path: postgres ? "prisma/postgres/migrations" : "prisma/migrations",
  },
  datasource: {
    url,
  },
});
